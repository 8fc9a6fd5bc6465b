package io.mosec.spring.test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Jars that hold nothing but a manifest: what tells a fat jar, an extracted application jar and
 * a test runner's jar apart.
 */
public final class ManifestJars {

	private ManifestJars() {
	}

	/**
	 * Writes a jar whose manifest has {@code attributes}.
	 * @param directory where to write it
	 * @param name its file name
	 * @param attributes main attribute names and values, in pairs
	 * @return the jar
	 * @throws IOException if it cannot be written
	 */
	public static Path write(Path directory, String name, String... attributes) throws IOException {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		for (int i = 0; i < attributes.length; i += 2) {
			manifest.getMainAttributes().putValue(attributes[i], attributes[i + 1]);
		}
		Path jar = directory.resolve(name);
		try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
			// A manifest is all it takes.
		}
		return jar;
	}

}
