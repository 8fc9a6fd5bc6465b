package io.mosec.spring.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The package layering of the production code, as DESIGN.md (in the repository) draws it: no
 * cycles, the domain never reads properties, the worker side never sees the server side.
 */
class LayeringTests {

	private static final String ROOT = "io.mosec.spring";

	private static JavaClasses production;

	@BeforeAll
	static void importProductionClasses() {
		production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(ROOT);
	}

	@Test
	void hasNoPackageCycles() {
		noCycles(ROOT).check(production);
	}

	@Test
	void catchesACycleBetweenTwoPackages() {
		JavaClasses withCycle = new ClassFileImporter().importPackages(ROOT + ".architecture.cycle");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> noCycles(ROOT + ".architecture").check(withCycle))
			.withMessageContaining("cycle.a")
			.withMessageContaining("cycle.b");
	}

	@Test
	void keepsPropertiesInTheAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackage(ROOT + ".autoconfigure")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(ROOT + ".autoconfigure")
			.because("domain packages take settings that the auto-configuration maps from mosec.* properties")
			.check(production);
	}

	@Test
	void layersTheServerOverTheWorkersAndTheWorkersOverTheWire() {
		Architectures.layeredArchitecture()
			.consideringOnlyDependenciesInLayers()
			.layer("Configuration").definedBy(ROOT + ".autoconfigure")
			.layer("Front end").definedBy(ROOT + ".web", ROOT + ".actuate", ROOT + ".openapi")
			.layer("Telemetry").definedBy(ROOT + ".metrics", ROOT + ".tracing")
			.layer("Pipeline").definedBy(ROOT + ".pipeline")
			.layer("Tasks").definedBy(ROOT + ".task")
			.layer("Worker pools").definedBy(ROOT + ".worker")
			.layer("Launch").definedBy(ROOT + ".worker.launch")
			.layer("Worker side").definedBy(ROOT + ".worker.child")
			.layer("Stages").definedBy(ROOT + ".stage")
			.layer("Wire").definedBy(ROOT + ".protocol", ROOT + ".codec")
			.layer("Support").definedBy(ROOT + ".support")
			.layer("API").definedBy(ROOT + ".api")
			.whereLayer("Configuration").mayNotBeAccessedByAnyLayer()
			.whereLayer("Front end").mayOnlyBeAccessedByLayers("Configuration")
			// Metrics and traces plug into the pipeline and the workers through the interfaces they offer.
			.whereLayer("Telemetry").mayOnlyBeAccessedByLayers("Configuration")
			.whereLayer("Pipeline").mayOnlyBeAccessedByLayers("Configuration", "Front end", "Telemetry")
			.whereLayer("Tasks").mayOnlyBeAccessedByLayers("Configuration", "Front end", "Pipeline", "Telemetry")
			.whereLayer("Worker pools").mayOnlyBeAccessedByLayers("Configuration", "Front end", "Pipeline", "Telemetry")
			.whereLayer("Launch").mayOnlyBeAccessedByLayers("Configuration", "Worker pools")
			.whereLayer("Worker side").mayOnlyBeAccessedByLayers("Configuration", "Worker pools", "Launch", "Telemetry")
			.check(production);
	}

	private static ArchRule noCycles(String root) {
		return slices().matching(root + ".(**)").should().beFreeOfCycles();
	}

}
