package nl.aware.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module and package graph of docs/architecture.md, checked on the compiled main classes of every
 * module (this module sees them all): dependencies point one way, no package cycles, and each heavy
 * library stays in the one module that needs it.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // the modules' test-jars
                .importPackages("nl.aware");
        // Each module's main classes, whether the build hands them over as a jar or a classes directory.
        for (Class<?> ofEachModule : new Class<?>[] {nl.aware.core.protocol.Adp.class, nl.aware.http.HttpServer.class,
                nl.aware.records.history.AlertIndex.class, nl.aware.dispatch.Dispatcher.class,
                nl.aware.redis.RedisStore.class, nl.aware.monitoring.MetricsServer.class,
                nl.aware.web.staff.StaffApiServer.class, nl.aware.gateway.AwareServer.class,
                nl.aware.simulator.SimulatorCommand.class}) {
            assertTrue(main.contain(ofEachModule), ofEachModule + " was not imported: the rules would check nothing");
        }
    }

    /** Each package of ours is a slice; a cycle between any two fails. */
    static SliceRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    static ArchRule modulesPointOneWay() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("kernel").definedBy("nl.aware.core..")
                .layer("http").definedBy("nl.aware.http..")
                .layer("records").definedBy("nl.aware.records..")
                .layer("dispatch").definedBy("nl.aware.dispatch..")
                .layer("monitoring").definedBy("nl.aware.monitoring..")
                .layer("redis").definedBy("nl.aware.redis..")
                .layer("web").definedBy("nl.aware.web..")
                .layer("gateway").definedBy("nl.aware.gateway..")
                .layer("simulator").definedBy("nl.aware.simulator..")
                .whereLayer("kernel").mayNotAccessAnyLayer()
                .whereLayer("http").mayOnlyAccessLayers("kernel")
                .whereLayer("records").mayOnlyAccessLayers("kernel")
                .whereLayer("dispatch").mayOnlyAccessLayers("kernel", "http")
                .whereLayer("monitoring").mayOnlyAccessLayers("kernel", "http")
                .whereLayer("redis").mayOnlyAccessLayers("kernel", "dispatch")
                .whereLayer("web").mayOnlyAccessLayers("kernel", "http", "records", "monitoring", "dispatch")
                .whereLayer("gateway").mayOnlyBeAccessedByLayers("simulator")
                .whereLayer("simulator").mayNotBeAccessedByAnyLayer();
    }

    @Test
    void modules_dependOnlyOnTheModulesBelowThem() {
        modulesPointOneWay().check(main);
    }

    @Test
    void packages_formNoCycles() {
        noPackageCycles("nl.aware").check(main);
    }

    @Test
    void kernel_knowsNoStorageEngineReportOrHttpLibrary() {
        noClasses().that().resideInAPackage("nl.aware.core..").should().dependOnClassesThat()
                .resideInAnyPackage("io.lettuce..", "org.apache.pdfbox..", "com.fasterxml.jackson..",
                        "io.netty.handler.codec.http..")
                .check(main);
    }

    @Test
    void onlyTheRedisStore_knowsLettuce() {
        noClasses().that().resideOutsideOfPackage("nl.aware.redis..").should().dependOnClassesThat()
                .resideInAPackage("io.lettuce..").check(main);
    }

    @Test
    void onlyRecords_knowPdfBox() {
        noClasses().that().resideOutsideOfPackage("nl.aware.records..").should().dependOnClassesThat()
                .resideInAPackage("org.apache.pdfbox..").check(main);
    }

    /** The cycle rule is not vacuous: two fixture packages that use each other are reported. */
    @Test
    void cycleRule_reportsADeliberateCycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("nl.aware.architecture.fixture");
        EvaluationResult result = noPackageCycles("nl.aware.architecture.fixture").evaluate(fixture);
        assertTrue(result.hasViolation(), "a ⇄ b must be reported as a cycle");
        assertTrue(result.getFailureReport().toString().contains("Cycle detected"), result.getFailureReport().toString());
    }

    /** The layer rule is not vacuous: a kernel class reaching up into the gateway is reported. */
    @Test
    void layerRule_reportsTheKernelReachingUp() {
        JavaClasses fixture = new ClassFileImporter().importClasses(nl.aware.core.archfixture.KernelReachingUp.class,
                nl.aware.gateway.AwareServer.class);
        EvaluationResult result = modulesPointOneWay().evaluate(fixture);
        assertTrue(result.hasViolation(), "the kernel using the gateway must be reported");
        assertTrue(result.getFailureReport().toString().contains("KernelReachingUp"), result.getFailureReport().toString());
    }
}
