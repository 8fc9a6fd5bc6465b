package io.mosec.spring.worker.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.springframework.beans.factory.DisposableBean;

/**
 * The private directory (mode 0700) that holds the stages' Unix domain sockets, so no other
 * user can reach a worker; removed when the application stops.
 */
public final class SocketDirectory implements DisposableBean {

	private final Path path;

	private final boolean created;

	/**
	 * Creates a fresh directory under {@code parent}, or uses {@code configured} (creating it
	 * if needed); either way, owner-only.
	 * @param configured the configured directory, or {@code null}
	 * @param parent where to create a fresh one
	 */
	public SocketDirectory(Path configured, Path parent) {
		try {
			if (configured == null) {
				this.path = OwnerOnlyDirectory.createTemp(parent, "mosec-");
				this.created = true;
			}
			else {
				this.created = !Files.isDirectory(configured);
				this.path = OwnerOnlyDirectory.create(configured);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the socket directory for the Mosec workers", ex);
		}
	}

	/**
	 * The socket path of a stage; short, since Unix socket paths are limited to about 100 bytes.
	 * @param index the stage's index
	 * @param name the stage's name
	 * @return the socket path
	 */
	public Path socketFor(int index, String name) {
		return this.path.resolve(index + "-" + OwnerOnlyDirectory.safeName(name, 24) + ".sock");
	}

	public Path path() {
		return this.path;
	}

	@Override
	public void destroy() throws IOException {
		if (!Files.isDirectory(this.path)) {
			return;
		}
		try (Stream<Path> files = Files.walk(this.path)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				if (this.created || !file.equals(this.path)) {
					Files.deleteIfExists(file);
				}
			}
		}
	}

}
