package io.github.cloudinarybackup.catalog;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/**
 * The catalog store's file with its most-read pages kept in memory.
 *
 * <p>Why: MapDB's {@code FileChannelVol} makes one {@code pread} per read, and a catalog lookup
 * reads a dozen places (the hash tree's levels, the index value, the record). On a backup of small
 * files those system calls were a tenth of the run's CPU (docs/benchmarks.md). A memory-mapped file
 * would avoid them too, but its pages count towards the process's memory as the catalog grows; this
 * cache holds at most {@link #maxPages} pages, so memory stays flat from 5,000 assets to 100,000.
 *
 * <p>Every write goes to the file first and then into the cached pages it overlaps, so a cached
 * page always holds what the file holds. A page read from the file while a write was under way is
 * not kept (a write counter tells), since it may hold the bytes from before the write. Only whole
 * pages inside the file are kept: the file's last, partial page is read from the file each time.
 */
final class PageCachedVolume extends Volume {

  static final int PAGE_SHIFT = 12;
  static final int PAGE = 1 << PAGE_SHIFT;

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final Volume file;
  private final int maxPages;

  /** Pages by number, least recently used first. Guarded by {@code this}. */
  private final LinkedHashMap<Long, byte[]> pages;

  /** How many writes were made: a page read from the file is kept only if none came meanwhile. */
  private long writes;

  /** The file's length: it changes only through this volume, so a read needs no system call. */
  private volatile long length;

  PageCachedVolume(Volume file, int maxPages) {
    this.file = file;
    this.maxPages = maxPages;
    this.pages =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > PageCachedVolume.this.maxPages;
          }
        };
    this.length = file.length();
  }

  /** The page holding {@code offset}, or null if it is the file's last, partial page. */
  private byte[] page(long offset) {
    long number = offset >>> PAGE_SHIFT;
    long start = number << PAGE_SHIFT;
    if (start + PAGE > length) {
      return null;
    }
    long writesBefore;
    synchronized (this) {
      byte[] cached = pages.get(number);
      if (cached != null) {
        return cached;
      }
      writesBefore = writes;
    }
    byte[] loaded = new byte[PAGE];
    file.getData(start, loaded, 0, PAGE);
    synchronized (this) {
      if (writes == writesBefore) {
        pages.put(number, loaded);
      }
    }
    return loaded;
  }

  private static int within(long offset) {
    return (int) (offset & (PAGE - 1));
  }

  private static boolean onOnePage(long offset, int size) {
    return within(offset) + size <= PAGE;
  }

  @Override
  public long getLong(long offset) {
    byte[] page = onOnePage(offset, 8) ? page(offset) : null;
    return page != null ? (long) LONG.get(page, within(offset)) : file.getLong(offset);
  }

  @Override
  public int getInt(long offset) {
    byte[] page = onOnePage(offset, 4) ? page(offset) : null;
    return page != null ? (int) INT.get(page, within(offset)) : file.getInt(offset);
  }

  @Override
  public byte getByte(long offset) {
    byte[] page = page(offset);
    return page != null ? page[within(offset)] : file.getByte(offset);
  }

  @Override
  public DataInput2 getDataInput(long offset, int size) {
    byte[] bytes = new byte[size];
    getData(offset, bytes, 0, size);
    return new DataInput2.ByteArray(bytes);
  }

  @Override
  public void getData(long offset, byte[] bytes, int bytesPos, int size) {
    long at = offset;
    int to = bytesPos;
    int left = size;
    while (left > 0) {
      int chunk = Math.min(left, PAGE - within(at));
      byte[] page = page(at);
      if (page == null) {
        file.getData(at, bytes, to, left);
        return;
      }
      System.arraycopy(page, within(at), bytes, to, chunk);
      at += chunk;
      to += chunk;
      left -= chunk;
    }
  }

  @Override
  public void putLong(long offset, long value) {
    putData(offset, ByteBuffer.allocate(8).putLong(0, value).array(), 0, 8);
  }

  @Override
  public void putInt(long offset, int value) {
    putData(offset, ByteBuffer.allocate(4).putInt(0, value).array(), 0, 4);
  }

  @Override
  public void putByte(long offset, byte value) {
    putData(offset, new byte[] {value}, 0, 1);
  }

  @Override
  public void putData(long offset, ByteBuffer buf) {
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    putData(offset, bytes, 0, bytes.length);
  }

  @Override
  public void putData(long offset, byte[] src, int srcPos, int srcSize) {
    file.putData(offset, src, srcPos, srcSize);
    written(offset, src, srcPos, srcSize);
  }

  @Override
  public void clear(long startOffset, long endOffset) {
    file.clear(startOffset, endOffset);
    int size = Math.toIntExact(endOffset - startOffset);
    written(startOffset, new byte[size], 0, size);
  }

  /** Lays bytes just written to the file over the cached pages they fall on. */
  private synchronized void written(long offset, byte[] src, int srcPos, int srcSize) {
    writes++;
    long end = offset + srcSize;
    for (long number = offset >>> PAGE_SHIFT; number << PAGE_SHIFT < end; number++) {
      byte[] page = pages.get(number);
      if (page == null) {
        continue;
      }
      long pageStart = number << PAGE_SHIFT;
      long from = Math.max(offset, pageStart);
      long to = Math.min(end, pageStart + PAGE);
      System.arraycopy(
          src, (int) (srcPos + from - offset), page, (int) (from - pageStart), (int) (to - from));
    }
    if (end > length) {
      length = end;
    }
  }

  @Override
  public void ensureAvailable(long offset) {
    // the file's volume grows the file past its own idea of its size, which writes past the end
    // do not change: it is asked every time
    file.ensureAvailable(offset);
    if (offset > length) {
      synchronized (this) {
        length = Math.max(length, file.length());
      }
    }
  }

  @Override
  public synchronized void truncate(long size) {
    file.truncate(size);
    writes++;
    pages.keySet().removeIf(number -> (number << PAGE_SHIFT) + PAGE > size);
    length = size;
  }

  /** How many pages are kept now. */
  synchronized int cachedPages() {
    return pages.size();
  }

  @Override
  public void sync() {
    file.sync();
  }

  @Override
  public synchronized void close() {
    pages.clear();
    file.close();
  }

  @Override
  public int sliceSize() {
    return file.sliceSize();
  }

  @Override
  public boolean isSliced() {
    return file.isSliced();
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public boolean isReadOnly() {
    return file.isReadOnly();
  }

  @Override
  public File getFile() {
    return file.getFile();
  }

  @Override
  public boolean getFileLocked() {
    return file.getFileLocked();
  }
}
