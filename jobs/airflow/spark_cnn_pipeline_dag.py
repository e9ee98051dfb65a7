"""Airflow DAG: ingest >> train >> evaluate >> report for one Food-101 run per logical date.

Every step is `spark-submit --class org.sparkcnn.jobs.PipelineMain <shaded jar> <verb> --run-id <id>`. The run
id comes from the logical date, so a retried or re-triggered task re-runs the same run id, and the jobs are
idempotent for it: a committed ingest with the same config is a no-op, train resumes from its latest
checkpoint (also mid-epoch), evaluate replaces its rows. That is what makes `retries` safe here. The last step,
`report`, summarises the run from the files the others wrote.

Airflow Variables (with defaults): spark_cnn_jar, spark_cnn_conf (a HOCON job file on the workers),
spark_cnn_corpus_uri, spark_cnn_output_uri. Connection: spark_default (YARN, Kubernetes or standalone).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "{{ var.value.get('spark_cnn_jar', '/opt/spark-cnn-pipeline/spark-cnn-pipeline-jobs-0.1.0-spark.jar') }}"
JOB_CONF = "{{ var.value.get('spark_cnn_conf', '/opt/spark-cnn-pipeline/conf/food101.conf') }}"
CORPUS = "{{ var.value.get('spark_cnn_corpus_uri', 'hdfs:///data/food-101') }}"
OUTPUT = "{{ var.value.get('spark_cnn_output_uri', 'hdfs:///runs') }}"
RUN_ID = "food101-{{ ds_nodash }}"

# What ND4J needs on every executor (see conf/spark/*.conf and README "Running on a cluster").
SPARK_CONF = {
    "spark.executor.memory": "8g",
    "spark.executor.memoryOverhead": "11g",
    "spark.executor.cores": "4",
    "spark.executor.extraJavaOptions": "-Dorg.bytedeco.javacpp.platform.extension=-onednn -Dorg.bytedeco.javacpp.maxbytes=8G -Dorg.bytedeco.javacpp.maxphysicalbytes=17G",
    "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    "spark.kryo.registrator": "org.sparkcnn.pipeline.spark.PipelineKryoRegistrator",
    "spark.task.maxFailures": "4",
}

default_args = {
    "owner": "ml-platform",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
}


def pipeline_step(verb: str) -> SparkSubmitOperator:
    return SparkSubmitOperator(
        task_id=verb,
        application=JAR,
        java_class="org.sparkcnn.jobs.PipelineMain",
        application_args=[verb, "--conf", JOB_CONF, "--run-id", RUN_ID,
                          "--set", "corpus.uri=" + CORPUS, "--set", "output.uri=" + OUTPUT],
        conf=SPARK_CONF,
        conn_id="spark_default",
        name="spark-cnn-" + verb + "-" + RUN_ID,
    )


with DAG(
    dag_id="spark_cnn_pipeline_food101",
    description="Food-101 CNN: ingest, parameter-averaged training, evaluation, report",
    start_date=datetime(2026, 11, 1),
    schedule="@weekly",
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    tags=["spark", "dl4j", "cnn"],
) as dag:
    ingest = pipeline_step("ingest")
    train = pipeline_step("train")
    evaluate = pipeline_step("evaluate")
    report = pipeline_step("report")
    ingest >> train >> evaluate >> report
