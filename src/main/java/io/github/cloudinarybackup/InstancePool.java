package io.github.cloudinarybackup;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Supplier;

/**
 * A few instances of something costly to hold (a buffer, a compressor's table), lent to whichever
 * thread needs one for a while. A thread-local would keep one per thread, whether it uses it or
 * not: an {@code auto} run has up to 64 download threads, most of them waiting on the network,
 * while a record's compression takes microseconds and a copy buffer is held only while an original
 * streams to its file. When all kept ones are lent, a new one is made; when the pool is full, one
 * given back is dropped (and collected as any object).
 */
public final class InstancePool<T> {

  /** What a pool keeps unless told otherwise: twice the cores, at least 4. */
  public static final int FEW = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private final ArrayBlockingQueue<T> kept;
  private final Supplier<T> make;

  /**
   * @param keep how many instances are kept between uses, at most
   * @param make makes one when none is kept
   */
  public InstancePool(int keep, Supplier<T> make) {
    this.kept = new ArrayBlockingQueue<>(keep);
    this.make = make;
  }

  /** A pool that keeps {@link #FEW}. */
  public InstancePool(Supplier<T> make) {
    this(FEW, make);
  }

  /** An instance for this thread alone until {@link #giveBack}. */
  public T take() {
    T instance = kept.poll();
    return instance != null ? instance : make.get();
  }

  /** Gives back an instance taken here; the caller must not use it after. */
  public void giveBack(T instance) {
    kept.offer(instance);
  }

  /** How many instances are kept now (for tests). */
  public int kept() {
    return kept.size();
  }
}
