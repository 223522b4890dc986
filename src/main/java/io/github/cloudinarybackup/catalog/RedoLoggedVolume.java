package io.github.cloudinarybackup.catalog;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;
import org.mapdb.DBException;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog store's file, made safe against a kill in the middle of a commit.
 *
 * <p>Why: MapDB 3.1's {@code StoreWAL} commits by writing the header, index values, free-space
 * pages and records straight into the store file, then forcing it, and it never reads its
 * write-ahead log again when it opens a file. A process killed between the first of those writes
 * and the force leaves a store that is part old, part new, which MapDB cannot read (a quarter of
 * the kills in {@code bench/kill.sh} did).
 *
 * <p>How: this volume holds MapDB's writes to the store back until MapDB forces it (the end of a
 * commit). Then it writes them to a redo file and forces that, applies them to the store and forces
 * it, and marks the redo file used. Opening the catalog first applies a redo file that is complete
 * and not marked used ({@link #recover}). So a kill leaves the last commit either not begun on the
 * store (an incomplete redo file fails its checksum and is ignored) or completed at the next open.
 * Applying the same redo file twice writes the same bytes twice.
 *
 * <p>Only the force at a commit's end applies anything. A read while writes are held back (MapDB
 * does not read the store in the middle of its commit, and {@link ExclusiveCommitStore} keeps other
 * threads out of it) reads the store with the held writes laid over it in the order they were made,
 * as MapDB would read its own writes: it used to apply the writes held so far, so a kill right
 * after left half a commit in the store.
 *
 * <p>A redo file is applied only to the store it was written for: it keeps the store's header as it
 * was before the commit, and a store whose header is neither that nor the commit's own has been
 * written by something else since (an older build, MapDB used directly); its redo file is then set
 * aside unused, since applying it would damage the store.
 *
 * <p>The redo file: a header of magic, body length and CRC32C of the body; a body of the length and
 * bytes of the store's header before the commit, then per write its offset, length and bytes.
 * Zeroing the magic marks it used.
 */
final class RedoLoggedVolume extends Volume {

  private static final long MAGIC = 0x43_42_52_45_44_4f_30_32L; // "CBREDO02"
  private static final Logger LOG = LoggerFactory.getLogger(RedoLoggedVolume.class);
  private static final int HEADER = 24;

  /** One write held back: its place in the store and its bytes. */
  record Write(long offset, byte[] bytes) {}

  /** A commit: the store's header before it, and its writes (MapDB rewrites the header in each). */
  record Commit(byte[] headerBefore, List<Write> writes) {

    /**
     * Whether the store, whose header is now {@code header}, is this commit's: before it, or partly
     * through it.
     */
    boolean isFor(byte[] header) {
      if (Arrays.equals(header, headerBefore)) {
        return true;
      }
      return writes.stream()
          .filter(w -> w.offset() == 0 && w.bytes().length >= header.length)
          .anyMatch(w -> Arrays.equals(header, Arrays.copyOf(w.bytes(), header.length)));
    }
  }

  private final Volume store;
  private final Path redoFile;

  /** Opened at the first commit: a catalog only read (a dry run) gets no redo file. */
  private FileChannel redo;

  /** Where tests stop: after each write is held back, before each is applied. */
  private final StoreHooks hooks;

  private final List<Write> held = new ArrayList<>();

  /** Read without the lock on every read of the store: whether writes are held back. */
  private volatile boolean holding;

  /** Whether the redo file's folder was forced since the file was created. */
  private boolean redoFileDurable;

  RedoLoggedVolume(Volume store, Path redoFile, StoreHooks hooks) {
    this.store = store;
    this.redoFile = redoFile;
    this.hooks = hooks;
  }

  /**
   * Completes the commit a killed process left half-applied: applies the redo file to the store
   * file if it is complete and not used yet, forces the store, and marks the redo file used.
   *
   * @return whether there was such a commit
   */
  static boolean recover(Path storeFile, Path redoFile) throws IOException {
    if (!Files.exists(redoFile) || !Files.exists(storeFile)) {
      return false;
    }
    Optional<Commit> commit = read(redoFile);
    if (commit.isEmpty()) {
      return false;
    }
    try (FileChannel store =
            FileChannel.open(storeFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel redo = FileChannel.open(redoFile, StandardOpenOption.WRITE)) {
      boolean applies = commit.get().isFor(firstBytes(store, commit.get().headerBefore().length));
      if (applies) {
        for (Write w : commit.get().writes()) {
          writeFully(store, ByteBuffer.wrap(w.bytes()), w.offset());
        }
        store.force(true);
      } else {
        LOG.warn(
            "The catalog changed after its last commit was cut short (written by another program?);"
                + " that commit was not completed");
      }
      markUsed(redo);
      redo.force(false);
      return applies;
    }
  }

  /** The first {@code count} bytes of a file, zeros past its end. */
  static byte[] firstBytes(FileChannel channel, int count) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(count);
    while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0) {
      // a read may return fewer bytes than asked
    }
    return bytes.array();
  }

  /** The commit in a complete, unused redo file; empty if it is used, incomplete or not one. */
  static Optional<Commit> read(Path redoFile) throws IOException {
    byte[] file = Files.readAllBytes(redoFile);
    if (file.length < HEADER) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(file);
    long magic = in.getLong();
    long length = in.getLong();
    long crc = in.getLong();
    if (magic != MAGIC || length < 4 || length > file.length - HEADER) {
      return Optional.empty();
    }
    CRC32C check = new CRC32C();
    check.update(file, HEADER, (int) length);
    if (check.getValue() != crc) {
      return Optional.empty();
    }
    ByteBuffer body = ByteBuffer.wrap(file, HEADER, (int) length);
    byte[] headerBefore = new byte[body.getInt()];
    body.get(headerBefore);
    List<Write> writes = new ArrayList<>();
    while (body.hasRemaining()) {
      long offset = body.getLong();
      byte[] bytes = new byte[body.getInt()];
      body.get(bytes);
      writes.add(new Write(offset, bytes));
    }
    return Optional.of(new Commit(headerBefore, writes));
  }

  static ByteBuffer encode(Commit commit) {
    int length = 4 + commit.headerBefore().length;
    for (Write w : commit.writes()) {
      length += 12 + w.bytes().length;
    }
    ByteBuffer out = ByteBuffer.allocate(HEADER + length);
    out.position(HEADER);
    out.putInt(commit.headerBefore().length).put(commit.headerBefore());
    for (Write w : commit.writes()) {
      out.putLong(w.offset()).putInt(w.bytes().length).put(w.bytes());
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), HEADER, length);
    out.putLong(0, MAGIC).putLong(8, length).putLong(16, crc.getValue());
    return out.rewind();
  }

  /** The store's bytes where this commit rewrites MapDB's header, as they are before it. */
  private byte[] headerBefore() {
    for (Write w : held) {
      if (w.offset() == 0) {
        byte[] before = new byte[(int) Math.min(w.bytes().length, store.length())];
        store.getData(0, before, 0, before.length);
        return Arrays.copyOf(before, w.bytes().length);
      }
    }
    return new byte[0];
  }

  @Override
  public synchronized void sync() {
    if (held.isEmpty()) {
      store.sync();
      return;
    }
    try {
      if (redo == null) {
        redo =
            FileChannel.open(
                redoFile,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                CatalogStore.ownerOnly(redoFile));
      }
      writeFully(redo, encode(new Commit(headerBefore(), held)), 0);
      redo.force(false);
      if (!redoFileDurable) {
        // a new file's name reaches the disk with its folder: a power cut must not lose a redo file
        // whose commit is being applied
        CatalogStore.forceFolder(redoFile);
        redoFileDurable = true;
      }
      for (int i = 0; i < held.size(); i++) {
        hooks.beforeApplying(i);
        Write w = held.get(i);
        store.putData(w.offset(), w.bytes(), 0, w.bytes().length);
      }
      store.sync();
      // not forced: until it reaches the disk, applying the file again writes the same bytes
      markUsed(redo);
    } catch (IOException e) {
      // an I/O error (a full disk), as MapDB's own volumes report it: not damage
      throw new DBException.VolumeIOError("cannot write the catalog's redo file", e);
    }
    held.clear();
    holding = false;
  }

  private static void markUsed(FileChannel redo) throws IOException {
    writeFully(redo, ByteBuffer.allocate(8), 0);
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  private void hold(long offset, byte[] bytes) {
    int index;
    synchronized (this) {
      index = held.size();
      held.add(new Write(offset, bytes));
      holding = true;
    }
    hooks.held(index, bytes.length);
  }

  /**
   * Drops the writes of a commit that did not reach its end (it failed halfway): MapDB rolls back
   * to what the store holds.
   */
  synchronized void dropHeld() {
    held.clear();
    holding = false;
  }

  @Override
  public void putLong(long offset, long value) {
    hold(offset, ByteBuffer.allocate(8).putLong(value).array());
  }

  @Override
  public void putInt(long offset, int value) {
    hold(offset, ByteBuffer.allocate(4).putInt(value).array());
  }

  @Override
  public void putByte(long offset, byte value) {
    hold(offset, new byte[] {value});
  }

  @Override
  public void putData(long offset, byte[] src, int srcPos, int srcSize) {
    byte[] bytes = new byte[srcSize];
    System.arraycopy(src, srcPos, bytes, 0, srcSize);
    hold(offset, bytes);
  }

  @Override
  public void putData(long offset, ByteBuffer buf) {
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    hold(offset, bytes);
  }

  @Override
  public void clear(long startOffset, long endOffset) {
    hold(startOffset, new byte[Math.toIntExact(endOffset - startOffset)]);
  }

  @Override
  public void ensureAvailable(long offset) {
    // only grows the file: the bytes past the committed end mean nothing until a commit points at
    // them
    store.ensureAvailable(offset);
  }

  /**
   * MapDB's StoreWAL never truncates its store; between commits it would be safe, within one it is
   * not.
   */
  @Override
  public synchronized void truncate(long size) {
    if (holding) {
      throw new IllegalStateException(
          "the catalog store cannot be truncated in the middle of a commit");
    }
    store.truncate(size);
  }

  @Override
  public long getLong(long offset) {
    return holding ? ByteBuffer.wrap(read(offset, 8)).getLong() : store.getLong(offset);
  }

  @Override
  public int getInt(long offset) {
    return holding ? ByteBuffer.wrap(read(offset, 4)).getInt() : store.getInt(offset);
  }

  @Override
  public byte getByte(long offset) {
    return holding ? read(offset, 1)[0] : store.getByte(offset);
  }

  @Override
  public DataInput2 getDataInput(long offset, int size) {
    return holding
        ? new DataInput2.ByteArray(read(offset, size))
        : store.getDataInput(offset, size);
  }

  @Override
  public void getData(long offset, byte[] bytes, int bytesPos, int size) {
    if (holding) {
      System.arraycopy(read(offset, size), 0, bytes, bytesPos, size);
    } else {
      store.getData(offset, bytes, bytesPos, size);
    }
  }

  /**
   * The bytes MapDB wrote there: the store's, with the held writes that overlap them laid over in
   * the order they were made (zeros past the store's end, as a write there would have left them).
   */
  private synchronized byte[] read(long offset, int size) {
    byte[] bytes = new byte[size];
    long inStore = Math.min(size, Math.max(0, store.length() - offset));
    if (inStore > 0) {
      store.getData(offset, bytes, 0, (int) inStore);
    }
    long end = offset + size;
    for (Write w : held) {
      long from = Math.max(offset, w.offset());
      long to = Math.min(end, w.offset() + w.bytes().length);
      if (from < to) {
        System.arraycopy(
            w.bytes(), (int) (from - w.offset()), bytes, (int) (from - offset), (int) (to - from));
      }
    }
    return bytes;
  }

  @Override
  public synchronized void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // writes still held belong to a commit that never reached its end: they are dropped, as MapDB
    // drops it
    held.clear();
    holding = false;
    try {
      if (redo != null) {
        redo.close();
      }
    } catch (IOException e) {
      throw new DBException.VolumeIOError(e);
    } finally {
      store.close();
    }
  }

  @Override
  public int sliceSize() {
    return store.sliceSize();
  }

  @Override
  public boolean isSliced() {
    return store.isSliced();
  }

  @Override
  public long length() {
    return store.length();
  }

  @Override
  public boolean isReadOnly() {
    return store.isReadOnly();
  }

  @Override
  public File getFile() {
    return store.getFile();
  }

  @Override
  public boolean getFileLocked() {
    return store.getFileLocked();
  }
}
