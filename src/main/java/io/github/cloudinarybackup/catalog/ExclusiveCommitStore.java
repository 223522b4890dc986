package io.github.cloudinarybackup.catalog;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import kotlin.collections.LongIterator;
import org.mapdb.Serializer;
import org.mapdb.StoreTx;

/**
 * MapDB's {@code StoreWAL} with its commits made exclusive: no other operation on the store runs
 * while one commits, and none begins until it has ended. Operations still run concurrently with
 * each other, as MapDB runs them.
 *
 * <p>Why: {@code StoreWAL.commit()} takes the segment locks ({@code lockWriteAll(locks)},
 * StoreWAL.kt 600) but not the structural lock, and {@code put()} and {@code preallocate()}
 * allocate a record id under the structural lock alone (StoreWAL.kt 383-385, 239-241). So a thread
 * storing a new record (a download thread marking an asset seen, a batch being written while the
 * writer thread commits) runs {@code allocateRecid()} (StoreDirectAbstract.kt 253-278) in the
 * middle of a commit, and that:
 *
 * <ul>
 *   <li>changes the in-memory header (the highest record id, the free-id stack) after the commit
 *       computed its checksum (StoreWAL.kt 602) and before it copies it into the store (607): the
 *       store gets a header that fails its own checksum, which MapDB refuses to open ("Header
 *       checksum broken", a {@code DataCorruption}) if the process is killed before the next commit
 *       writes a correct one;
 *   <li>reads the store in the middle of the commit, when the free-id stack's page is not cached
 *       (the commit empties that cache, 628; {@code longStackLoadChunk}, 742-749);
 *   <li>changes the commit's caches while the commit walks and then clears them ({@code
 *       cacheIndexLinks}, {@code cacheStacks}, 619-629): a new index page's link or a free-id stack
 *       page changed then never reaches the store.
 * </ul>
 *
 * <p>The lock is taken outside MapDB's own (each operation takes it first), so it adds no lock
 * order MapDB could deadlock on: a thread holding it for an operation never waits for a commit.
 */
final class ExclusiveCommitStore implements StoreTx {

  private final StoreTx store;

  /** Held back writes of a commit that did not end are dropped before MapDB rolls back. */
  private final Runnable beforeRollback;

  private final Lock operation;
  private final Lock commit;

  ExclusiveCommitStore(StoreTx store, Runnable beforeRollback) {
    this.store = store;
    this.beforeRollback = beforeRollback;
    ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    this.operation = lock.readLock();
    this.commit = lock.writeLock();
  }

  @Override
  public void commit() {
    commit.lock();
    try {
      store.commit();
    } finally {
      commit.unlock();
    }
  }

  @Override
  public void rollback() {
    commit.lock();
    try {
      beforeRollback.run();
      store.rollback();
    } finally {
      commit.unlock();
    }
  }

  @Override
  public void close() {
    commit.lock();
    try {
      store.close();
    } finally {
      commit.unlock();
    }
  }

  @Override
  public void compact() {
    commit.lock();
    try {
      store.compact();
    } finally {
      commit.unlock();
    }
  }

  @Override
  public <R> R get(long recid, Serializer<R> serializer) {
    operation.lock();
    try {
      return store.get(recid, serializer);
    } finally {
      operation.unlock();
    }
  }

  @Override
  public long preallocate() {
    operation.lock();
    try {
      return store.preallocate();
    } finally {
      operation.unlock();
    }
  }

  @Override
  public <R> long put(R record, Serializer<R> serializer) {
    operation.lock();
    try {
      return store.put(record, serializer);
    } finally {
      operation.unlock();
    }
  }

  @Override
  public <R> void update(long recid, R record, Serializer<R> serializer) {
    operation.lock();
    try {
      store.update(recid, record, serializer);
    } finally {
      operation.unlock();
    }
  }

  @Override
  public <R> boolean compareAndSwap(
      long recid, R expectedOldRecord, R newRecord, Serializer<R> serializer) {
    operation.lock();
    try {
      return store.compareAndSwap(recid, expectedOldRecord, newRecord, serializer);
    } finally {
      operation.unlock();
    }
  }

  @Override
  public <R> void delete(long recid, Serializer<R> serializer) {
    operation.lock();
    try {
      store.delete(recid, serializer);
    } finally {
      operation.unlock();
    }
  }

  @Override
  public LongIterator getAllRecids() {
    operation.lock();
    try {
      return store.getAllRecids();
    } finally {
      operation.unlock();
    }
  }

  @Override
  public void verify() {
    operation.lock();
    try {
      store.verify();
    } finally {
      operation.unlock();
    }
  }

  @Override
  public boolean fileLoad() {
    operation.lock();
    try {
      return store.fileLoad();
    } finally {
      operation.unlock();
    }
  }

  @Override
  public Iterable<String> getAllFiles() {
    return store.getAllFiles();
  }

  @Override
  public boolean isClosed() {
    return store.isClosed();
  }

  @Override
  public boolean isReadOnly() {
    return store.isReadOnly();
  }

  @Override
  public boolean isThreadSafe() {
    return store.isThreadSafe();
  }

  @Override
  public void checkThreadSafe() {
    store.checkThreadSafe();
  }
}
