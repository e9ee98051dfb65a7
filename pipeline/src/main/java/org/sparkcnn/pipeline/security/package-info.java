/**
 * Java deserialisation of stored data, behind an allow-list.
 *
 * <p><b>Contract.</b> Everything read from storage (model zips, checkpoints, shards) is untrusted input. Java
 * deserialisation of it happens only inside {@link org.sparkcnn.pipeline.security.DeserializationGuard#read}: on
 * the driver and on executors, every {@link java.io.ObjectInputStream} created on the calling thread while the guard
 * runs (DL4J's {@code ModelSerializer} reading {@code preprocessor.bin}, ND4J's {@code DataSet.load} reading label
 * names or example metadata) accepts only the classes of {@link org.sparkcnn.pipeline.security.SerialAllowList},
 * within its limits. A refused class or limit is a bad input: the guard throws
 * {@link org.sparkcnn.pipeline.error.BadInputException} naming the file and the class, and the refused class's
 * {@code readObject} never runs. Java deserialisation elsewhere in the JVM (Spark's closures and task results, on
 * other threads or on this one outside the guard) keeps the JVM's own filtering, unchanged.
 *
 * <p><b>How.</b> The guard installs, once and lazily, a JDK 17 deserialisation filter factory
 * ({@link org.sparkcnn.pipeline.security.ScopedFilterFactory}) that adds the allow-list to streams created inside a
 * guarded read ({@link org.sparkcnn.pipeline.security.ReadScope}, a thread-local scope) and otherwise returns what
 * the JVM's previous factory returns. The JDK accepts a factory only before the JVM's first ObjectInputStream, which
 * on an executor (and on a driver that has run a Spark job) is long past; the guard then installs the same scoped
 * check as the JVM-wide filter instead, which is as narrow (it answers "undecided", i.e. no opinion, outside a guarded
 * read). Where neither works (a JVM-wide filter set by {@code -Djdk.serialFilter} once the factory is fixed, or
 * another installed factory that ignores the JVM-wide filter) the guard refuses to read at all and says what to do:
 * start the driver and executor JVMs with {@code -Djdk.serialFilterFactory=org.sparkcnn.pipeline.security.ScopedFilterFactory}, which
 * composes with {@code jdk.serialFilter}. Whatever was installed, the guard proves it works (a probe object must be
 * refused) before its first read; see {@link org.sparkcnn.pipeline.security.FilterInstaller}.
 */
package org.sparkcnn.pipeline.security;
