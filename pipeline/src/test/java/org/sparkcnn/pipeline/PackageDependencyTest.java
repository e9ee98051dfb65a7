package org.sparkcnn.pipeline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.sparkcnn.pipeline.config.BuildLine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house's rooms and the doors between them, checked over the compiled classes: no cycles between packages,
 * the trainer's rooms stacked as {@code train/package-info.java} says, dl4j-spark (frozen, Scala 2.12 only) reached
 * from one package, and every package with a {@code package-info.java} saying its contract.
 */
class PackageDependencyTest {
    private static final String ROOT = "org.sparkcnn.pipeline";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        assertTrue(classes.size() > 200, "imported " + classes.size() + " classes; the importer found too few");
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheEntryPointsRunTheTrainJob() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".train..", ROOT + ".cli..", ROOT + ".demo..", ROOT + ".ml..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".train..")
                .because("evaluate, predict, report and filters read checkpoints and input, never the trainer; the "
                        + "entry points (cli, demo, the Spark ML API) run it")
                .check(classes);
    }

    @Test
    void trainersImplementTheSeamAndNotEachOther() {
        List<ArchRule> rules = List.of(
                noClasses().that().resideInAnyPackage(ROOT + ".train.distributed", ROOT + ".train.averaging",
                                ROOT + ".train.dl4jspark")
                        .should().dependOnClassesThat().resideInAPackage(ROOT + ".train")
                        .because("the epoch loop uses the trainers, not the other way round"),
                noClasses().that().resideInAPackage(ROOT + ".train.distributed")
                        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".train.averaging",
                                ROOT + ".train.dl4jspark")
                        .because("the seam knows no implementation"),
                noClasses().that().resideInAPackage(ROOT + ".train.averaging")
                        .should().dependOnClassesThat().resideInAPackage(ROOT + ".train.dl4jspark"),
                noClasses().that().resideInAPackage(ROOT + ".train.dl4jspark")
                        .should().dependOnClassesThat().resideInAPackage(ROOT + ".train.averaging")
                        // the Spark 4 build has no train.dl4jspark (src/main/spark-3.5)
                        .allowEmptyShould(!BuildLine.current().dl4jSparkTrainer()),
                noClasses().that().resideOutsideOfPackage(ROOT + ".train.dl4jspark")
                        .should().dependOnClassesThat().resideInAPackage(ROOT + ".train.dl4jspark")
                        .because("it is found through ServiceLoader: the Spark 4 build has no such package"));
        rules.forEach(rule -> rule.check(classes));
    }

    @Test
    void onlyTheAdapterUsesDl4jSpark() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".train.dl4jspark")
                .should().dependOnClassesThat().resideInAPackage("org.deeplearning4j.spark..")
                .because("dl4j-spark is frozen at 1.0.0-M2 and built for Scala 2.12 only")
                .check(classes);
    }

    @Test
    void foundationsImportNoJob() {
        noClasses().that().resideInAnyPackage(ROOT + ".error", ROOT + ".storage", ROOT + ".security",
                        ROOT + ".shards", ROOT + ".ndarray", ROOT + ".input", ROOT + ".checkpoint", ROOT + ".model", ROOT + ".augment")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".cli", ROOT + ".demo", ROOT + ".ingest",
                        ROOT + ".evaluate", ROOT + ".predict", ROOT + ".report", ROOT + ".filters")
                .check(classes);
    }

    @Test
    void theKernelsImportOnlyTheJdk() {
        noClasses().that().resideInAPackage(ROOT + ".kernel")
                .should().dependOnClassesThat().resideOutsideOfPackages(ROOT + ".kernel", "java..")
                .because("the kernels are pure functions over FloatBuffers; model adapts ND4J's arrays to them")
                .check(classes);
    }

    @Test
    void everyPackageSaysItsContract() throws IOException {
        Path sources = Path.of("src/main/java", ROOT.split("\\."));
        assertTrue(Files.isDirectory(sources), "run from the pipeline module: " + sources.toAbsolutePath());
        try (Stream<Path> dirs = Files.walk(sources)) {
            List<String> missing = dirs.filter(Files::isDirectory)
                    .filter(dir -> hasJava(dir) && !Files.exists(dir.resolve("package-info.java")))
                    .map(dir -> sources.relativize(dir).toString())
                    .toList();
            assertEquals(List.of(), missing, "packages without package-info.java");
        }
    }

    private static boolean hasJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
