from fapilog import Settings, runtime

settings = Settings(core={"redactors": ["url_credentials"]})

with runtime(settings=settings) as log:
    log.info("connecting", dsn="postgresql://app:s3cret@db.internal:5432/shop")
