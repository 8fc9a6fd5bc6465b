package io.mosec.spring.worker.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import io.mosec.spring.test.ManifestJars;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which class data archive a stage's workers write and map.
 */
class ClassDataArchiveTests {

	@TempDir
	Path temp;

	private Path archives;

	private List<String> command;

	@BeforeEach
	void applicationOnAJarClasspath() throws IOException {
		this.archives = this.temp.resolve("cds");
		Path app = jar("app.jar", "Main-Class", "com.example.App");
		this.command = List.of("java", "-Xmx1g", "-cp", app.toString(), "com.example.App");
	}

	/** JDK 13-24 write a dynamic CDS archive; JDK 25 and later an AOT cache. */
	@ParameterizedTest
	@CsvSource({ "DYNAMIC_ARCHIVE, -XX:ArchiveClassesAtExit=, -XX:SharedArchiveFile=, .jsa",
			"AOT_CACHE, -XX:AOTCacheOutput=, -XX:AOTCache=, .aot" })
	void aTrainingWorkerWritesTheArchiveAndLaterWorkersMapIt(ClassDataFormat format, String write, String read,
			String extension) throws IOException {
		ClassDataArchive archive = ClassDataArchive.of(this.archives, this.command, this.command, format);
		assertThat(archive.optionsForNextWorker()).as("before the archive is written").isEmpty();

		List<String> training = archive.optionsForTraining();
		assertThat(training).anyMatch((option) -> option.startsWith(write));
		assertThat(archive.optionsForTraining()).as("while the first writes it").isEmpty();
		writeArchive(training);
		archive.workerExited(training, 0);

		assertThat(archive.isPublished()).isTrue();
		assertThat(archive.optionsForNextWorker()).singleElement().asString().startsWith(read).endsWith(extension);
		assertThat(published(archive)).exists().hasParent(this.archives);
		assertThat(archive.optionsForTraining()).as("once it is there").isEmpty();
		assertThat(this.archives).isDirectoryNotContaining("glob:**.tmp");
	}

	@Test
	void anArchiveFromAWorkerThatFailedIsDroppedAndTheNextWorkerWritesIt() throws IOException {
		ClassDataArchive archive = ClassDataArchive.of(this.archives, this.command, this.command);

		aWorkerWritesItAndExits(archive, 1);

		assertThat(archive.isPublished()).isFalse();
		assertThat(this.archives).isDirectoryNotContaining("glob:**.{tmp,jsa,aot}");
		assertThat(archive.optionsForTraining()).anyMatch((option) -> option.startsWith("-XX:ArchiveClassesAtExit=")
				|| option.startsWith("-XX:AOTCacheOutput="));
	}

	@Test
	void aRebuiltApplicationGetsAnArchiveOfItsOwnAndTheOldOneGoes() throws IOException {
		ClassDataArchive before = ClassDataArchive.of(this.archives, this.command, this.command);
		aWorkerWritesItAndExits(before, 0);
		Path beforeFile = published(before);

		Files.setLastModifiedTime(Path.of(this.command.get(3)), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
		ClassDataArchive after = ClassDataArchive.of(this.archives, this.command, this.command);

		assertThat(after.isPublished()).as("a rebuilt application maps no archive of the old build").isFalse();
		aWorkerWritesItAndExits(after, 0);
		assertThat(published(after)).isNotEqualTo(beforeFile).exists();
		assertThat(beforeFile).doesNotExist();
	}

	@Test
	void jvmOptionsHaveArchivesOfTheirOwnThatStayWhenAnotherIsWritten() throws IOException {
		ClassDataArchive small = ClassDataArchive.of(this.archives, this.command, this.command);
		List<String> moreMemoryCommand = List.of("java", "-Xmx2g", "-cp", this.command.get(3), "com.example.App");
		ClassDataArchive moreMemory = ClassDataArchive.of(this.archives, moreMemoryCommand, moreMemoryCommand);
		for (ClassDataArchive archive : List.of(small, moreMemory)) {
			aWorkerWritesItAndExits(archive, 0);
		}

		assertThat(List.of(published(small), published(moreMemory))).doesNotHaveDuplicates().allMatch(Files::exists);
	}

	@Test
	void aPreparedLaunchTargetIsNamedAfterTheServersOwnSoThatARebuildReplacesItsArchive() throws IOException {
		Path before = jar("prepared-1.jar", "Main-Class", "com.example.App");
		Path after = jar("prepared-2.jar", "Main-Class", "com.example.App");
		ClassDataArchive first = ClassDataArchive.of(this.archives, this.command,
				List.of("java", "-Xmx1g", "-cp", before.toString(), "com.example.App"));
		aWorkerWritesItAndExits(first, 0);
		Path firstFile = published(first);

		ClassDataArchive rebuilt = ClassDataArchive.of(this.archives, this.command,
				List.of("java", "-Xmx1g", "-cp", after.toString(), "com.example.App"));
		aWorkerWritesItAndExits(rebuilt, 0);

		assertThat(published(rebuilt)).exists();
		assertThat(firstFile).doesNotExist();
	}

	@Test
	void writesLeftBehindByAServerThatDiedAreRemovedAndThoseOfALiveOneAreNot() throws IOException {
		ClassDataArchive archive = ClassDataArchive.of(this.archives, this.command, this.command,
				ClassDataFormat.AOT_CACHE);
		// The training option names this server's own write: .<name>.<pid>.aot.tmp
		String pending = Path.of(writeOption(archive.optionsForTraining())).getFileName().toString();
		String name = pending.substring(1, pending.indexOf("." + ProcessHandle.current().pid() + "."));
		Path deadServers = Files.writeString(this.archives.resolve("." + name + ".2147483647.aot.tmp"), "");
		Path deadServersRecord = Files.writeString(this.archives.resolve("." + name + ".2147483647.aot.tmp.config"), "");
		Path liveServers = Files.writeString(
				this.archives.resolve("." + name + "." + ProcessHandle.current().pid() + ".aot.tmp"), "");

		ClassDataArchive.of(this.archives, this.command, this.command, ClassDataFormat.AOT_CACHE);

		assertThat(deadServers).doesNotExist();
		assertThat(deadServersRecord).doesNotExist();
		assertThat(liveServers).exists();
	}

	@Test
	void noArchiveOnAJvmThatCannotWriteOne() {
		assertThat(ClassDataArchive.of(this.archives, this.command, this.command, null).optionsForNextWorker()).isEmpty();
	}

	@Test
	void noArchiveWithoutADirectory() {
		assertThat(ClassDataArchive.of(null, this.command, this.command).optionsForNextWorker()).isEmpty();
	}

	@Test
	void noArchiveForAClasspathWithDirectoriesBecauseTheJdkArchivesJarsOnly() throws IOException {
		Path classes = Files.createDirectories(this.temp.resolve("classes/com/example"));
		Files.writeString(classes.resolve("App.class"), "");

		List<String> command = List.of("java", "-cp", this.temp.resolve("classes") + ":" + this.command.get(3),
				"com.example.App");

		assertThat(ClassDataArchive.whyUnsupported(command)).contains("directory");
		assertThat(ClassDataArchive.of(this.archives, command, command).optionsForNextWorker()).isEmpty();
	}

	@Test
	void noArchiveOfOursWhenTheJvmOptionsManageClassDataSharing() {
		List<String> command = List.of("java", "-XX:SharedArchiveFile=app.jsa", "-cp", this.command.get(3),
				"com.example.App");

		assertThat(ClassDataArchive.whyUnsupported(command)).contains("already");
	}

	@Test
	void anExtractedApplicationJarCanBeArchivedButAFatJarCannot() throws IOException {
		Path extracted = jar("application.jar", "Main-Class", "com.example.App", "Spring-Boot-Version", "4.0.7");
		Path fat = jar("fat.jar", "Main-Class", "org.springframework.boot.loader.launch.JarLauncher", "Start-Class",
				"com.example.App");

		assertThat(ClassDataArchive.whyUnsupported(List.of("java", "-jar", extracted.toString()))).isNull();
		assertThat(ClassDataArchive.whyUnsupported(List.of("java", "-jar", fat.toString()))).contains("extract");
	}

	/** What the JVM of a worker started with the archive's options does: it writes, then exits. */
	private static void aWorkerWritesItAndExits(ClassDataArchive archive, int exitCode) throws IOException {
		List<String> writer = archive.optionsForTraining();
		writeArchive(writer);
		archive.workerExited(writer, exitCode);
	}

	private static void writeArchive(List<String> writerOptions) throws IOException {
		Files.write(Path.of(writeOption(writerOptions)), new byte[] { 1, 2, 3 });
	}

	/** Where the training worker's JVM is told to write. */
	private static String writeOption(List<String> writerOptions) {
		String option = writerOptions.stream()
			.filter((candidate) -> candidate.startsWith("-XX:ArchiveClassesAtExit=")
					|| candidate.startsWith("-XX:AOTCacheOutput="))
			.findFirst()
			.orElseThrow();
		return option.substring(option.indexOf('=') + 1);
	}

	/** The archive the next worker maps, as its JVM option names it. */
	private static Path published(ClassDataArchive archive) {
		String option = archive.optionsForNextWorker().get(0);
		return Path.of(option.substring(option.indexOf('=') + 1));
	}

	private Path jar(String name, String... attributes) throws IOException {
		return ManifestJars.write(this.temp, name, attributes);
	}

}
