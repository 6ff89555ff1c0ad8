from fapilog import Settings, runtime

# Needs the aws extra (pip install "fapilog[aws]") and AWS credentials in the usual
# places (environment, ~/.aws, or an instance role).
settings = Settings(
    core={"sinks": ["cloudwatch"]},
    sink_config={
        "cloudwatch": {
            "log_group_name": "/checkout/prod",
            "log_stream_name": "web-1",
            "region": "eu-west-1",
        }
    },
)

if __name__ == "__main__":  # importing this file only builds the settings
    with runtime(settings=settings) as log:
        log.info("order placed", order_id=42)
