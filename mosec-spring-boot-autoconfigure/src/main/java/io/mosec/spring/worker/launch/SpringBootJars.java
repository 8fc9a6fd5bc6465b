package io.mosec.spring.worker.launch;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * What a jar's manifest says about how it starts: the one place that tells a Spring Boot fat jar
 * from the application jar of its extracted layout and from any other jar.
 */
final class SpringBootJars {

	private SpringBootJars() {
	}

	/**
	 * Whether {@code jar} is a fat jar: its classes and libraries nested inside, started by Spring
	 * Boot's launcher, which names the application's main class as {@code Start-Class}.
	 * @param jar the jar
	 * @return whether it is one
	 */
	static boolean isFatJar(Path jar) {
		Attributes attributes = mainAttributes(jar);
		return attributes != null && attributes.getValue("Start-Class") != null;
	}

	/**
	 * Whether {@code jar} starts a Spring Boot application with {@code java -jar}: a fat jar, or
	 * the application jar that {@code -Djarmode=tools extract} makes for container images (its
	 * {@code Main-Class} and Boot's version). A test runner's jar is neither.
	 * @param jar the jar
	 * @return whether it is one
	 */
	static boolean startsSpringBoot(Path jar) {
		Attributes attributes = mainAttributes(jar);
		return attributes != null && (attributes.getValue("Start-Class") != null
				|| attributes.getValue("Spring-Boot-Version") != null && attributes.getValue("Main-Class") != null);
	}

	/**
	 * The entries a jar's {@code Class-Path} names, resolved against the jar's directory.
	 * @param jar the jar
	 * @return the entries, in order
	 * @throws IOException if the jar cannot be read
	 */
	static List<Path> classPathOf(Path jar) throws IOException {
		Attributes attributes = mainAttributes(jar);
		String classPath = (attributes != null) ? attributes.getValue(Attributes.Name.CLASS_PATH) : null;
		List<Path> entries = new ArrayList<>();
		if (classPath == null) {
			return entries;
		}
		URI base = jar.toAbsolutePath().getParent().toUri();
		for (String entry : classPath.trim().split("\\s+")) {
			try {
				// Entries are URLs, relative to the jar or absolute (file:/...), escaped as URLs are.
				entries.add(Path.of(base.resolve(new URI(entry))));
			}
			catch (URISyntaxException | IllegalArgumentException ex) {
				throw new IOException("Cannot read the Class-Path entry '" + entry + "' of " + jar, ex);
			}
		}
		return entries;
	}

	/** A jar that holds nothing but a manifest with a {@code Class-Path}, as Surefire starts its forks. */
	static boolean isManifestOnly(Path path) {
		if (!Files.isRegularFile(path) || !path.toString().endsWith(".jar")) {
			return false;
		}
		try (JarFile jar = new JarFile(path.toFile())) {
			Manifest manifest = jar.getManifest();
			if (manifest == null || manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH) == null) {
				return false;
			}
			return jar.stream().map(ZipEntry::getName).allMatch((name) -> name.startsWith("META-INF/"));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Attributes mainAttributes(Path jar) {
		if (!jar.toFile().isFile()) {
			return null;
		}
		try (JarFile file = new JarFile(jar.toFile())) {
			Manifest manifest = file.getManifest();
			return (manifest != null) ? manifest.getMainAttributes() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

}
