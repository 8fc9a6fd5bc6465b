package io.mosec.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code embedding.onnx-file}: the model copied out of its artifact once, into a directory only
 * this user can write, when something reads the property, and not before.
 */
class ModelFileEnvironmentPostProcessorTests {

	@TempDir
	Path temp;

	@Test
	void copiesTheModelOnceWhenThePropertyIsReadAndAnswersNothingElse() throws Exception {
		ModelFileEnvironmentPostProcessor.ModelFile source = new ModelFileEnvironmentPostProcessor.ModelFile(this.temp);
		Path directory = this.temp.resolve("mosec-sample-" + System.getProperty("user.name"));
		assertThat(source.getProperty("embedding.chunk")).isNull();
		assertThat(directory).doesNotExist();
		Path file = Path.of((String) source.getProperty(ModelFileEnvironmentPostProcessor.PROPERTY));
		assertThat(file.getParent()).isEqualTo(directory);
		long size;
		try (var model = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
			size = model.transferTo(java.io.OutputStream.nullOutputStream());
		}
		assertThat(Files.size(file)).isEqualTo(size);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
		long modified = Files.getLastModifiedTime(file).toMillis();
		assertThat(source.getProperty(ModelFileEnvironmentPostProcessor.PROPERTY)).isEqualTo(file.toString());
		assertThat(Files.getLastModifiedTime(file).toMillis()).as("not copied again").isEqualTo(modified);
		try (var files = Files.list(directory)) {
			assertThat(files).as("no partial copies left").containsExactly(file);
		}
	}

}
