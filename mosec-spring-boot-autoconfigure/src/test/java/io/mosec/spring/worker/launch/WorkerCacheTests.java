package io.mosec.spring.worker.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import io.mosec.spring.test.ManifestJars;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server prepares for its workers: classes only from jars, each made once per build.
 */
class WorkerCacheTests {

	@TempDir
	Path temp;

	private WorkerCache cache;

	private Path classes;

	@BeforeEach
	void aCacheAndAClassesDirectory() throws IOException {
		this.cache = WorkerCache.open(this.temp.resolve("cache"));
		this.classes = Files.createDirectories(this.temp.resolve("target/classes/com/example")).getParent().getParent();
		Files.writeString(this.classes.resolve("com/example/App.class"), "app");
		Files.writeString(this.classes.resolve("application.yml"), "mosec: {}");
	}

	@Test
	void isOwnerOnly() throws IOException {
		assertThat(Files.getPosixFilePermissions(this.temp.resolve("cache")))
			.isEqualTo(PosixFilePermissions.fromString("rwx------"));
	}

	@Test
	void turnsAClassesDirectoryIntoAJarWithTheSameFiles() throws IOException {
		Path library = jar("lib.jar", "Main-Class", "com.example.Lib");
		String classpath = this.classes + File.pathSeparator + library;

		List<String> prepared = this.cache.prepare("java", List.of("-cp", classpath, "com.example.App"));

		String[] entries = prepared.get(1).split(File.pathSeparator);
		assertThat(entries).hasSize(2).endsWith(library.toString());
		assertThat(entries[0]).endsWith(".jar").startsWith(this.temp.resolve("cache").toString());
		assertThat(prepared.get(2)).isEqualTo("com.example.App");
		try (JarFile jar = new JarFile(entries[0])) {
			// Directory entries too: component scanning finds a package in a jar by them.
			assertThat(jar.stream().map(ZipEntry::getName)).containsExactlyInAnyOrder("com/", "com/example/",
					"com/example/App.class", "application.yml");
			assertThat(jar.getInputStream(jar.getEntry("com/example/App.class")).readAllBytes()).asString()
				.isEqualTo("app");
		}
	}

	@Test
	void makesTheJarOncePerContentAndReplacesItWhenAFileChanges() throws IOException {
		Path first = this.cache.jarOf(this.classes);
		FileTime made = Files.getLastModifiedTime(first);
		assertThat(this.cache.jarOf(this.classes)).isEqualTo(first);
		assertThat(Files.getLastModifiedTime(first)).isEqualTo(made);

		Files.writeString(this.classes.resolve("com/example/App.class"), "rebuilt");
		Path rebuilt = this.cache.jarOf(this.classes);

		assertThat(rebuilt).isNotEqualTo(first).exists();
		assertThat(first).as("another build's jar").doesNotExist();
		assertThat(this.temp.resolve("cache/classes")).isDirectoryNotContaining("glob:**.tmp");
	}

	@Test
	void readsAManifestOnlyJarAsTheEntriesItNames() throws IOException {
		Path library = jar("lib.jar", "Main-Class", "com.example.Lib");
		Path booter = jar("surefirebooter.jar", "Class-Path",
				this.classes.toUri() + " " + library.getFileName());

		String classpath = this.cache.jarsOnly(booter.toString());

		String[] entries = classpath.split(File.pathSeparator);
		assertThat(entries).hasSize(2);
		assertThat(entries[0]).isEqualTo(this.cache.jarOf(this.classes).toString());
		assertThat(entries[1]).isEqualTo(library.toString());
	}

	@Test
	void leavesOutEmptyDirectoriesAndKeepsJarsAsTheyAre() throws IOException {
		Path empty = Files.createDirectories(this.temp.resolve("empty"));
		Path library = jar("lib.jar", "Main-Class", "com.example.Lib");

		assertThat(this.cache.jarsOnly(empty + File.pathSeparator + library)).isEqualTo(library.toString());
	}

	@Test
	void launchesAFatJarAsItIsWhenItCannotBeExtracted() throws IOException {
		// No Spring Boot tools inside: `-Djarmode=tools extract` fails, and the worker starts as before.
		Path fat = jar("fat.jar", "Main-Class", "org.springframework.boot.loader.launch.JarLauncher", "Start-Class",
				"com.example.App");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

		assertThat(this.cache.prepare(java, List.of("-jar", fat.toString()))).containsExactly("-jar", fat.toString());
		assertThat(this.temp.resolve("cache/apps")).isEmptyDirectory();
	}

	@Test
	void leavesAnExtractedApplicationJarAsItIs() throws IOException {
		Path extracted = jar("application.jar", "Main-Class", "com.example.App", "Spring-Boot-Version", "4.0.7");

		assertThat(this.cache.prepare("java", List.of("-jar", extracted.toString())))
			.containsExactly("-jar", extracted.toString());
	}

	private Path jar(String name, String... attributes) throws IOException {
		return ManifestJars.write(this.temp, name, attributes);
	}

}
