import time

from fapilog import Settings, runtime

# Aims at about 20 events per second. The rate adapts once per window, so a burst
# shorter than one window passes whole; errors always pass.
settings = Settings(
    core={"filters": ["adaptive_sampling"]},
    filter_config={
        "adaptive_sampling": {
            "target_eps": 20.0,
            "window_seconds": 0.5,
            "always_pass_levels": ["ERROR"],
        }
    },
)

with runtime(settings=settings) as log:
    for n in range(40):  # 2 seconds at 100 events per second
        for _ in range(10):
            log.info("cache hit", n=n)
        time.sleep(0.05)
    log.error("cache unavailable")
