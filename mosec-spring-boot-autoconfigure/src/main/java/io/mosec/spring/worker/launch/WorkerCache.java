package io.mosec.spring.worker.launch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What the server prepares once so that its workers start cheaply on every launch path, kept in
 * an owner-only directory that outlives the server (by default under {@code java.io.tmpdir},
 * which a read-only root filesystem keeps writable):
 * <ul>
 * <li>a fat jar, extracted with Spring Boot's own tool ({@code -Djarmode=tools extract}, the
 * container layout): classes read from nested jars cost a worker about a third more CPU, and
 * cannot be put in a class data archive;</li>
 * <li>each classes directory of a classpath (the IDE, {@code spring-boot:run}, a test JVM) as a
 * jar, and a manifest-only classpath jar (Surefire's) as the entries it names, since the JDK
 * archives classes from jars only;</li>
 * <li>the workers' class data archives ({@link ClassDataArchive}).</li>
 * </ul>
 * Every entry is named after what it was made from (its path, and the size and modification time
 * of its files), so a rebuild never gets a copy of another build; making an entry removes the
 * entries it replaces. Entries are written under a temporary name and renamed into place, so two
 * servers preparing the same entry at once each get a whole one.
 */
public final class WorkerCache {

	private static final Log logger = LogFactory.getLog(WorkerCache.class);

	private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(2);

	private final Path directory;

	private WorkerCache(Path directory) {
		this.directory = directory;
	}

	/**
	 * Where the cache is unless configured: under {@code java.io.tmpdir}, one per user.
	 * @return the directory
	 */
	public static Path defaultDirectory() {
		return Path.of(System.getProperty("java.io.tmpdir"),
				"mosec-cache-" + OwnerOnlyDirectory.safeName(System.getProperty("user.name", "user"), 32));
	}

	/**
	 * The cache in {@code configured}, created owner-only if needed.
	 * @param configured the cache directory
	 * @return the cache, or {@code null} (logged with the reason) when it cannot be used
	 */
	public static WorkerCache open(Path configured) {
		// Absolute: workers are given paths inside it, and may not share the server's working directory.
		Path directory = configured.toAbsolutePath().normalize();
		try {
			// The JVM trusts what it maps from here: nobody else may have written to it.
			return new WorkerCache(OwnerOnlyDirectory.create(directory));
		}
		catch (IOException | UnsupportedOperationException ex) {
			logger.warn("Workers start without the worker cache: cannot use " + directory + " (mosec.worker.cache.dir): "
					+ ex);
			return null;
		}
	}

	/** Where class data archives are kept. */
	Path archives() {
		return this.directory.resolve("cds");
	}

	/**
	 * A launch target whose classes all come from plain jars: {@code -jar fat.jar} becomes the
	 * extracted application's jar, a classpath's directories become jars.
	 * @param java the {@code java} that runs the extraction tool
	 * @param launchTarget {@code -jar app.jar}, or {@code -cp path Main}
	 * @return the prepared launch target, or {@code launchTarget} where nothing needed doing or
	 * could be done (logged)
	 */
	List<String> prepare(String java, List<String> launchTarget) {
		try {
			if (launchTarget.size() == 2 && launchTarget.get(0).equals("-jar")) {
				Path jar = Path.of(launchTarget.get(1));
				return SpringBootJars.isFatJar(jar) ? List.of("-jar", extracted(java, jar).toString()) : launchTarget;
			}
			if (launchTarget.size() >= 2 && launchTarget.get(0).equals("-cp")) {
				List<String> prepared = new ArrayList<>(launchTarget);
				prepared.set(1, jarsOnly(launchTarget.get(1)));
				return prepared;
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Workers start from " + launchTarget + " as it is; cannot prepare it in " + this.directory + ": "
					+ ex.getMessage());
		}
		return launchTarget;
	}

	/** The application jar of {@code fatJar} extracted, made now unless this build's is there. */
	Path extracted(String java, Path fatJar) throws IOException {
		Path apps = Files.createDirectories(this.directory.resolve("apps"));
		Path absolute = fatJar.toAbsolutePath();
		String label = label(absolute) + "-" + digest(absolute.toString()).substring(0, 8);
		String name = label + "-" + digest(fingerprint(absolute)).substring(0, 16);
		Path target = apps.resolve(name);
		Path applicationJar = target.resolve(absolute.getFileName().toString());
		if (Files.isRegularFile(applicationJar)) {
			return applicationJar;
		}
		long started = System.nanoTime();
		Path pending = apps.resolve("." + name + "." + ProcessHandle.current().pid() + ".tmp");
		deleteRecursively(pending);
		// Spring Boot's own extraction: the layout its CDS support and container images use.
		Process process = new ProcessBuilder(java, "-Djarmode=tools", "-jar", absolute.toString(), "extract",
				"--destination", pending.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			if (!process.waitFor(EXTRACT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IOException("extracting " + absolute + " took over " + EXTRACT_TIMEOUT);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while extracting " + absolute, ex);
		}
		if (process.exitValue() != 0 || !Files.isRegularFile(pending.resolve(absolute.getFileName().toString()))) {
			deleteRecursively(pending);
			throw new IOException("java -Djarmode=tools -jar " + absolute + " extract exited with "
					+ process.exitValue() + " (a jar built without Spring Boot's tools cannot be extracted)");
		}
		publish(pending, target);
		removeReplaced(apps, label, target);
		logger.info("Extracted " + absolute + " for the workers into " + target + " in "
				+ (System.nanoTime() - started) / 1_000_000 + " ms");
		return applicationJar;
	}

	/** The classpath with each non-empty directory as a jar, and manifest-only jars as what they name. */
	String jarsOnly(String classpath) throws IOException {
		List<String> entries = new ArrayList<>();
		for (String entry : classpath.split(File.pathSeparator)) {
			if (entry.isEmpty()) {
				continue;
			}
			Path path = Path.of(entry);
			if (Files.isDirectory(path)) {
				if (!isEmptyDirectory(path)) {
					entries.add(jarOf(path).toString());
				}
			}
			else if (SpringBootJars.isManifestOnly(path)) {
				for (Path named : SpringBootJars.classPathOf(path)) {
					entries.add(Files.isDirectory(named) ? jarOf(named).toString() : named.toString());
				}
			}
			else {
				entries.add(entry);
			}
		}
		return String.join(File.pathSeparator, entries);
	}

	/** A jar of a classes directory, made now unless one of its current content is there. */
	Path jarOf(Path classesDirectory) throws IOException {
		Path jars = Files.createDirectories(this.directory.resolve("classes"));
		Path absolute = classesDirectory.toAbsolutePath().normalize();
		List<Path> files;
		try (Stream<Path> walk = Files.walk(absolute)) {
			// Directories too: Spring's component scanning finds a package in a jar by its directory entry.
			files = walk.filter((file) -> !file.equals(absolute)).sorted().toList();
		}
		StringBuilder fingerprint = new StringBuilder();
		for (Path file : files) {
			if (Files.isRegularFile(file)) {
				fingerprint.append(absolute.relativize(file)).append(' ').append(Files.size(file)).append(' ')
					.append(Files.getLastModifiedTime(file).toMillis()).append('\n');
			}
		}
		String label = label(absolute) + "-" + digest(absolute.toString()).substring(0, 8);
		Path target = jars.resolve(label + "-" + digest(fingerprint.toString()).substring(0, 16) + ".jar");
		if (Files.isRegularFile(target)) {
			return target;
		}
		Path pending = jars.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
		try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(pending))) {
			// Stored, not deflated: written and read faster, and the disk is local.
			jar.setLevel(0);
			for (Path file : files) {
				boolean directory = Files.isDirectory(file);
				String name = absolute.relativize(file).toString().replace(File.separatorChar, '/');
				JarEntry entry = new JarEntry(directory ? name + "/" : name);
				entry.setTime(Files.getLastModifiedTime(file).toMillis());
				jar.putNextEntry(entry);
				if (!directory) {
					Files.copy(file, jar);
				}
				jar.closeEntry();
			}
		}
		Files.move(pending, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		removeReplaced(jars, label, target);
		return target;
	}

	private static boolean isEmptyDirectory(Path path) throws IOException {
		try (Stream<Path> entries = Files.list(path)) {
			return entries.findAny().isEmpty();
		}
	}

	/** Two servers may publish the same entry at once: the first one wins, the other uses it. */
	private static void publish(Path pending, Path target) throws IOException {
		try {
			Files.move(pending, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (FileAlreadyExistsException | DirectoryNotEmptyException ex) {
			deleteRecursively(pending);
		}
	}

	/** Entries made from the same source earlier: another build's, never used again. */
	private static void removeReplaced(Path directory, String label, Path kept) {
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, label + "-*")) {
			for (Path entry : entries) {
				if (!entry.equals(kept)) {
					deleteRecursively(entry);
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Cannot clean up " + directory, ex);
		}
	}

	static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> files = Files.walk(path)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

	private static String fingerprint(Path file) throws IOException {
		return file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
	}

	/** A readable part of an entry's name: the file or directory, and its parent for {@code classes}. */
	private static String label(Path path) {
		Path parent = path.getParent();
		String name = ((parent != null && parent.getFileName() != null) ? parent.getFileName() + "_" : "")
				+ path.getFileName();
		return OwnerOnlyDirectory.safeName(name, 48);
	}

	static String digest(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
