# The image for GPU executors (and the driver) of spark-cnn-pipeline on Kubernetes.
#
#   mvn -B -Pcuda -DskipTests package            # builds jobs/target/spark-cnn-pipeline-jobs-0.1.0-spark-cuda.jar
#   docker build -f docker/gpu-executor.Dockerfile -t <registry>/spark-cnn-pipeline:gpu .
#
# ND4J's only CUDA release (nd4j-cuda-11.6 1.0.0-M2.1) needs the CUDA 11.6 runtime and cuDNN 8 (built against 8.3;
# later 8.x read it) and a GPU of compute capability 3.7 to 8.9 (Kepler GK210 to Ada: e.g. V100, T4, A10, A100,
# L4, L40S). It has no PTX, so it cannot run on Hopper (H100, H200) or newer.
FROM nvidia/cuda:11.6.2-cudnn8-runtime-ubuntu20.04

ARG SPARK_VERSION=3.5.9
ARG HADOOP_AWS_VERSION=3.3.4
ARG AWS_SDK_VERSION=1.12.262

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless tini procps bash curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# Spark (with its Kubernetes entrypoint and GPU discovery script) and the S3A connector, which Spark's
# Hadoop 3 build does not carry.
RUN curl -fsSL "https://archive.apache.org/dist/spark/spark-${SPARK_VERSION}/spark-${SPARK_VERSION}-bin-hadoop3.tgz" \
      | tar -xz -C /opt \
 && ln -s "/opt/spark-${SPARK_VERSION}-bin-hadoop3" /opt/spark \
 && curl -fsSL -o "/opt/spark/jars/hadoop-aws-${HADOOP_AWS_VERSION}.jar" \
      "https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/${HADOOP_AWS_VERSION}/hadoop-aws-${HADOOP_AWS_VERSION}.jar" \
 && curl -fsSL -o "/opt/spark/jars/aws-java-sdk-bundle-${AWS_SDK_VERSION}.jar" \
      "https://repo1.maven.org/maven2/com/amazonaws/aws-java-sdk-bundle/${AWS_SDK_VERSION}/aws-java-sdk-bundle-${AWS_SDK_VERSION}.jar"

ENV SPARK_HOME=/opt/spark \
    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
    OMP_NUM_THREADS=1 \
    JAVACPP_CACHE_DIR=/tmp/javacpp

# The pipeline: the CUDA jar, the job files and the Spark templates (k8s-gpu.conf points at gpu-pod.yaml here).
COPY jobs/target/spark-cnn-pipeline-jobs-0.1.0-spark-cuda.jar /opt/spark-cnn-pipeline/
COPY conf /opt/spark-cnn-pipeline/conf

RUN useradd --uid 185 --home-dir /opt/spark --no-create-home spark && mkdir -p /tmp/javacpp && chown 185 /tmp/javacpp
USER 185
WORKDIR /opt/spark/work-dir
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/spark/kubernetes/dockerfiles/spark/entrypoint.sh"]
