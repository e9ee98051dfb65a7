"""Loads the DAG file with small stand-ins for `airflow` and the Spark provider, which record what it builds.

Airflow itself is not installed where the tests run, so this checks what can be checked honestly: the task graph,
the run id every task passes, the retries, and that every keyword the DAG gives an operator, the DAG or the
default args is one the real classes accept. The accepted keywords are written down below from the documentation
of the versions the DAG is written for (see README, "Airflow"):

- apache-airflow-providers-apache-spark 5.3.0, `SparkSubmitOperator.__init__`;
- Apache Airflow 2.10 / 3.0, `BaseOperator` (the keywords used here) and `DAG` (`schedule` since 2.4).

Run: python3 -m unittest discover -s jobs/airflow -p 'test_*.py'
"""
import importlib.util
import pathlib
import sys
import types
import unittest
from datetime import timedelta

DAG_FILE = pathlib.Path(__file__).with_name("spark_cnn_pipeline_dag.py")

# apache-airflow-providers-apache-spark 5.3.0: SparkSubmitOperator's own parameters.
SPARK_SUBMIT_OPERATOR_PARAMS = {
    "application", "conf", "conn_id", "files", "py_files", "archives", "driver_class_path", "jars", "java_class",
    "packages", "exclude_packages", "repositories", "total_executor_cores", "executor_cores", "executor_memory",
    "driver_memory", "keytab", "principal", "proxy_user", "name", "num_executors", "status_poll_interval",
    "application_args", "env_vars", "verbose", "spark_binary", "properties_file", "yarn_queue", "deploy_mode",
    "use_krb5ccache", "openlineage_inject_parent_job_info", "openlineage_inject_transport_info",
}
# BaseOperator keywords (a subset: those a DAG like this one would pass, directly or through default_args).
BASE_OPERATOR_PARAMS = {
    "task_id", "owner", "email", "email_on_retry", "email_on_failure", "retries", "retry_delay",
    "retry_exponential_backoff", "max_retry_delay", "start_date", "end_date", "depends_on_past",
    "wait_for_downstream", "pool", "pool_slots", "queue", "priority_weight", "execution_timeout", "sla",
    "trigger_rule", "do_xcom_push", "doc_md", "executor_config", "on_failure_callback", "on_success_callback",
    "on_retry_callback", "max_active_tis_per_dag",
}
DAG_PARAMS = {
    "dag_id", "description", "schedule", "start_date", "end_date", "default_args", "catchup", "max_active_runs",
    "max_active_tasks", "dagrun_timeout", "tags", "params", "doc_md", "owner_links", "render_template_as_native_obj",
}


class _Recorder:
    """What the stand-ins saw: operators in creation order, the DAG's keywords, and the edges `>>` made."""

    def __init__(self):
        self.operators = []
        self.dag_kwargs = None
        self.edges = []


def _stand_ins(recorder):
    class DAG:
        def __init__(self, **kwargs):
            unknown = set(kwargs) - DAG_PARAMS
            if unknown:
                raise TypeError(f"DAG() got unexpected keyword arguments {sorted(unknown)}")
            recorder.dag_kwargs = kwargs
            self.default_args = kwargs.get("default_args", {})

        def __enter__(self):
            DAG.current = self
            return self

        def __exit__(self, *exc):
            DAG.current = None
            return False

    DAG.current = None

    class SparkSubmitOperator:
        def __init__(self, **kwargs):
            unknown = set(kwargs) - SPARK_SUBMIT_OPERATOR_PARAMS - BASE_OPERATOR_PARAMS
            if unknown:
                raise TypeError(f"SparkSubmitOperator() got unexpected keyword arguments {sorted(unknown)}")
            if DAG.current is None:
                raise AssertionError("operator created outside the DAG context")
            merged = dict(DAG.current.default_args)
            merged.update(kwargs)
            self.kwargs = merged
            self.task_id = kwargs["task_id"]
            recorder.operators.append(self)

        def __rshift__(self, other):
            recorder.edges.append((self.task_id, other.task_id))
            return other

    airflow = types.ModuleType("airflow")
    airflow.DAG = DAG
    modules = {"airflow": airflow}
    path = "airflow"
    for part in ["providers", "apache", "spark", "operators"]:
        path += "." + part
        modules[path] = types.ModuleType(path)
    leaf = types.ModuleType(path + ".spark_submit")
    leaf.SparkSubmitOperator = SparkSubmitOperator
    modules[path + ".spark_submit"] = leaf
    return modules


def load_dag():
    recorder = _Recorder()
    saved = {k: sys.modules.get(k) for k in list(sys.modules) if k == "airflow" or k.startswith("airflow.")}
    stand_ins = _stand_ins(recorder)
    sys.modules.update(stand_ins)
    try:
        spec = importlib.util.spec_from_file_location("spark_cnn_pipeline_dag", DAG_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        for name in stand_ins:
            sys.modules.pop(name, None)
        sys.modules.update({k: v for k, v in saved.items() if v is not None})
    return module, recorder


class DagTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.module, cls.recorded = load_dag()

    def test_the_task_graph_is_ingest_train_evaluate_report(self):
        self.assertEqual(["ingest", "train", "evaluate", "report"], [o.task_id for o in self.recorded.operators])
        self.assertEqual([("ingest", "train"), ("train", "evaluate"), ("evaluate", "report")], self.recorded.edges)

    def test_every_task_runs_the_verb_of_its_name_on_the_same_run_id_from_the_logical_date(self):
        run_ids = set()
        for op in self.recorded.operators:
            args = op.kwargs["application_args"]
            self.assertEqual(op.task_id, args[0], "the verb")
            run_ids.add(args[args.index("--run-id") + 1])
            self.assertEqual("org.sparkcnn.jobs.PipelineMain", op.kwargs["java_class"])
        self.assertEqual(1, len(run_ids), run_ids)
        run_id = run_ids.pop()
        self.assertIn("{{ ds_nodash }}", run_id, "derived from the logical date, so a retry re-runs the same run")
        self.assertNotIn("ts_nodash", run_id, "not the run's start time, which a retry would change")

    def test_tasks_are_retried_and_no_task_passes_overwrite(self):
        for op in self.recorded.operators:
            self.assertGreaterEqual(op.kwargs["retries"], 1)
            self.assertIsInstance(op.kwargs["retry_delay"], timedelta)
            # --overwrite would make a retried train start over instead of resuming
            self.assertNotIn("--overwrite", op.kwargs["application_args"])
            self.assertNotIn("output.overwrite=true", " ".join(op.kwargs["application_args"]))

    def test_the_dag_runs_one_run_at_a_time(self):
        self.assertEqual(1, self.recorded.dag_kwargs["max_active_runs"])
        self.assertFalse(self.recorded.dag_kwargs["catchup"])

    def test_an_unknown_operator_keyword_is_caught(self):
        # The stand-in is strict: the check above would catch a misspelt keyword in the DAG.
        recorder = _Recorder()
        stand_ins = _stand_ins(recorder)
        op_class = stand_ins["airflow.providers.apache.spark.operators.spark_submit"].SparkSubmitOperator
        with stand_ins["airflow"].DAG(dag_id="x"):
            with self.assertRaises(TypeError):
                op_class(task_id="t", aplication="typo.jar")


if __name__ == "__main__":
    unittest.main()
