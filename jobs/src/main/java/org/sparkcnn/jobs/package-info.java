/** Thin entry points for spark-submit and bin/pipeline; all logic lives in the pipeline library. */
package org.sparkcnn.jobs;
