package io.mosec.spring.worker.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories only this user may enter (mode 0700), for what a worker trusts: the sockets that
 * reach it, the jars and class data archives it maps. And the one rule for the names of files
 * made from user input in them.
 */
final class OwnerOnlyDirectory {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private OwnerOnlyDirectory() {
	}

	/**
	 * Creates a directory, or takes the one there, and makes it owner-only.
	 * @param directory the directory
	 * @return the directory
	 * @throws IOException if it cannot be created, or another user owns it (whatever is in it
	 * may have been written by them)
	 */
	static Path create(Path directory) throws IOException {
		Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
		Path probe = Files.createTempFile(directory, ".owner", ".tmp");
		try {
			if (!Files.getOwner(directory).equals(Files.getOwner(probe))) {
				throw new IOException(directory + " belongs to " + Files.getOwner(directory).getName()
						+ ", not to this user");
			}
		}
		finally {
			Files.deleteIfExists(probe);
		}
		Files.setPosixFilePermissions(directory, OWNER_ONLY);
		return directory;
	}

	/**
	 * Creates a fresh owner-only directory.
	 * @param parent where
	 * @param prefix the start of its name
	 * @return the directory
	 * @throws IOException if it cannot be created
	 */
	static Path createTemp(Path parent, String prefix) throws IOException {
		return Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
	}

	/**
	 * A name that is safe as part of a file name: anything but letters, digits, {@code _ . -}
	 * becomes {@code _}.
	 * @param name the name (a stage, a user, a jar)
	 * @param maxLength the longest result
	 * @return the safe name
	 */
	static String safeName(String name, int maxLength) {
		String safe = name.replaceAll("[^A-Za-z0-9_.-]", "_");
		return safe.substring(0, Math.min(safe.length(), maxLength));
	}

}
