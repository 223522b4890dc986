package io.github.cloudinarybackup.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Writes into the backup folder and never outside it. Paths come in relative to the backup folder
 * (as the catalog keeps them); every folder on the way is checked without following links, and one
 * that is a symbolic link is refused ({@link UnsafeFolderException}) unless the user allows links.
 * New files are written under a temporary name created exclusively (an existing file or link there
 * is never written through) and renamed into place, which replaces a link rather than following it.
 * With owner-only permissions, folders are created {@code rwx------} and files {@code rw-------}.
 */
public final class BackupFolder {

  /** Prefix of the files being written; short, because names may be up to 240 bytes already. */
  public static final String TEMP_PREFIX = ".~cb";

  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private static final int SAFE_FOLDERS_KEPT = 16_384;

  /** A temporary is always a new file, and a link at its name is never followed. */
  private static final Set<OpenOption> NEW_FILE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

  private final Path root;
  private final boolean followSymlinks;
  private final FileAttribute<?>[] folderAttributes;
  private final FileAttribute<?>[] fileAttributes;

  /** Folders (relative) already checked or created in this run: most assets share their folders. */
  private final Set<String> safeFolders = ConcurrentHashMap.newKeySet();

  /** Temporary files created and not yet renamed into place, which a stopping run removes. */
  private final Set<Path> liveTemporaries = ConcurrentHashMap.newKeySet();

  /** Creating a temporary holds the read lock; closing for writing takes the write lock. */
  private final ReadWriteLock writing = new ReentrantReadWriteLock();

  private boolean closed;

  /**
   * @param followSymlinks write through symbolic links to folders (backup.follow-symlinks)
   * @param ownerOnly create folders and files readable by their owner only (where the filesystem
   *     has POSIX permissions)
   */
  public BackupFolder(Path root, boolean followSymlinks, boolean ownerOnly) {
    this.root = root.toAbsolutePath().normalize();
    this.followSymlinks = followSymlinks;
    boolean posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
    this.folderAttributes =
        ownerOnly && posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
            }
            : new FileAttribute<?>[0];
    this.fileAttributes =
        ownerOnly && posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
  }

  public Path root() {
    return root;
  }

  /** The attributes a new file of the backup is created with (owner-only permissions, or none). */
  public FileAttribute<?>[] fileAttributes() {
    return fileAttributes.clone();
  }

  /**
   * The file at {@code relative} ({@code /}-separated), which cannot lie outside the backup folder.
   */
  public Path resolve(String relative) {
    Path file = root.resolve(relative).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IllegalArgumentException("not a path inside the backup folder: " + relative);
    }
    return file;
  }

  /** Creates the backup folder itself if need be (it may be a link: the user chose it). */
  public void createRoot() throws IOException {
    if (!Files.isDirectory(root)) {
      Files.createDirectories(root.getParent());
      try {
        Files.createDirectory(root, folderAttributes);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(root)) {
          throw e;
        }
      }
    }
  }

  /**
   * Makes sure the folders of {@code relative} exist inside the backup, none of them a link.
   *
   * @return the file's path
   */
  public Path prepare(String relative) throws IOException {
    Path file = resolve(relative);
    Path parent = file.getParent();
    if (!parent.equals(root)) {
      ensureFolder(root.relativize(parent));
    }
    return file;
  }

  /** Creates (or checks) the folder {@code relative}, refusing links on the way. */
  public Path ensureFolder(Path relative) throws IOException {
    String key = relative.toString();
    if (safeFolders.contains(key)) {
      return root.resolve(relative);
    }
    try {
      return walk(relative);
    } catch (UnsafeFolderException | LocalWriteException e) {
      throw e;
    } catch (IOException e) {
      throw new LocalWriteException("cannot create the folder " + key, e);
    }
  }

  private Path walk(Path relative) throws IOException {
    Path current = root;
    StringBuilder walked = new StringBuilder();
    for (Path segment : relative) {
      current = current.resolve(segment);
      if (walked.length() > 0) {
        walked.append('/');
      }
      walked.append(segment);
      if (safeFolders.contains(walked.toString())) {
        continue;
      }
      checkOrCreate(current, walked.toString());
      remember(walked.toString());
    }
    return current;
  }

  private void checkOrCreate(Path folder, String relative) throws IOException {
    BasicFileAttributes attributes = attributes(folder);
    if (attributes == null) {
      try {
        Files.createDirectory(folder, folderAttributes);
        return;
      } catch (FileAlreadyExistsException raced) {
        attributes = attributes(folder);
      } catch (IOException e) {
        throw new LocalWriteException("cannot create the folder " + relative, e);
      }
    }
    if (attributes != null && attributes.isSymbolicLink()) {
      if (!followSymlinks) {
        throw new UnsafeFolderException(relative, linkTarget(folder));
      }
      if (!Files.isDirectory(folder)) {
        throw new LocalWriteException(
            "cannot use the folder " + relative,
            new FileSystemException(
                folder.toString(), null, "a link to something that is not a folder is in the way"));
      }
    } else if (attributes == null || !attributes.isDirectory()) {
      throw new LocalWriteException(
          "cannot create the folder " + relative,
          new FileSystemException(folder.toString(), null, "a file is in the way"));
    }
  }

  private void remember(String relative) {
    if (safeFolders.size() >= SAFE_FOLDERS_KEPT) {
      safeFolders.clear();
    }
    safeFolders.add(relative);
  }

  private static BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, NO_FOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static String linkTarget(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** The temporary name a file is written under before it is renamed to {@code target}. */
  public static Path temporaryFor(Path target) {
    return target.resolveSibling(TEMP_PREFIX + target.getFileName());
  }

  /**
   * Creates the temporary file for {@code target}, exclusively: whatever was left at that name (a
   * file from a killed run, a planted link) is removed first, never written through.
   */
  public FileChannel createTemporary(Path temporary) throws IOException {
    writing.readLock().lock();
    try {
      if (closed) {
        throw new IOException("the run is stopping: no new file is started");
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(temporary, NEW_FILE, fileAttributes);
      } catch (FileAlreadyExistsException leftOver) {
        // removed only when found: a system call less per file on the usual path
        Files.deleteIfExists(temporary);
        channel = FileChannel.open(temporary, NEW_FILE, fileAttributes);
      }
      liveTemporaries.add(temporary);
      return channel;
    } catch (IOException e) {
      throw closed ? e : new LocalWriteException("cannot create " + root.relativize(temporary), e);
    } finally {
      writing.readLock().unlock();
    }
  }

  /** Renames a complete temporary file to its place; a file or link already there is replaced. */
  public void moveIntoPlace(Path temporary, Path target) throws IOException {
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      liveTemporaries.remove(temporary);
    } catch (IOException e) {
      throw new LocalWriteException("cannot rename into place " + root.relativize(target), e);
    }
  }

  /** Removes a temporary file that will not be renamed into place (its write failed). */
  public void discardTemporary(Path temporary) throws IOException {
    Files.deleteIfExists(temporary);
    liveTemporaries.remove(temporary);
  }

  /**
   * A stopping run: no temporary file is created from now on, and those not yet renamed into place
   * are removed, whatever thread is still writing one (its rename then fails). The process ends
   * with no partial file left, even if a download thread is slow to unwind.
   *
   * @return how many were removed
   */
  public int closeForWriting() {
    writing.writeLock().lock();
    try {
      closed = true;
      int removed = 0;
      for (Path temporary : liveTemporaries) {
        try {
          removed += Files.deleteIfExists(temporary) ? 1 : 0;
        } catch (IOException e) {
          // the next run removes what is left (stale temporaries)
        }
      }
      liveTemporaries.clear();
      return removed;
    } finally {
      writing.writeLock().unlock();
    }
  }

  /** Writes {@code relative} whole or not at all: to a temporary file, then renamed into place. */
  public void writeAtomically(String relative, Content content) throws IOException {
    Path target = prepare(relative);
    Path temporary = temporaryFor(target);
    boolean done = false;
    try {
      try (OutputStream out = Channels.newOutputStream(createTemporary(temporary))) {
        content.writeTo(out);
      }
      moveIntoPlace(temporary, target);
      done = true;
    } finally {
      if (!done) {
        discardTemporary(temporary);
      }
    }
  }

  /**
   * Moves a file of the backup to another place in it (trash, a kept version); links move as links.
   */
  public void move(String fromRelative, String toRelative) throws IOException {
    Path from = resolve(fromRelative);
    Path to = prepare(toRelative);
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LocalWriteException("cannot move " + fromRelative + " to " + toRelative, e);
    }
  }

  /**
   * Removes each of these folders (relative) that is empty, then its parents while they are empty;
   * never the backup folder itself, never through a link. Files moved out of them left them empty.
   */
  public void removeEmptyFolders(Collection<String> folders) {
    for (String relative : folders) {
      Path folder = resolve(relative);
      while (!folder.equals(root) && folder.startsWith(root)) {
        try {
          BasicFileAttributes attributes = attributes(folder);
          if (attributes == null || !attributes.isDirectory()) {
            break;
          }
          Files.delete(folder); // refused unless empty
          String key = root.relativize(folder).toString();
          safeFolders.removeIf(known -> known.equals(key) || known.startsWith(key + "/"));
        } catch (IOException e) {
          break; // not empty (or not ours to remove): it and its parents stay
        }
        folder = folder.getParent();
      }
    }
  }

  /**
   * Whether {@code relative} is a regular file of this size (a link there is not the backup's
   * file).
   */
  public boolean holds(String relative, long size) {
    try {
      BasicFileAttributes attributes = attributes(resolve(relative));
      return attributes != null && attributes.isRegularFile() && attributes.size() == size;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The MD5 of the regular file at {@code relative}, hex; a link there is not read. */
  public String md5(String relative) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(resolve(relative), LinkOption.NOFOLLOW_LINKS)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Whether {@code relative} is a regular file (not a link). */
  public boolean isRegularFile(String relative) {
    try {
      BasicFileAttributes attributes = attributes(resolve(relative));
      return attributes != null && attributes.isRegularFile();
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** What a file written whole by {@link #writeAtomically} holds. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }
}
