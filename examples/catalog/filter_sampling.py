from fapilog import Settings, runtime

# Keep about 1 event in 10; the seed makes the choice repeatable.
settings = Settings(
    core={"filters": ["sampling"]},
    filter_config={"sampling": {"sample_rate": 0.1, "seed": 7}},
)

with runtime(settings=settings) as log:
    for n in range(50):
        log.info("request served", n=n)
