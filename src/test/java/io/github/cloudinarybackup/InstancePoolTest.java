package io.github.cloudinarybackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InstancePoolTest {

  @Test
  void anInstanceGivenBackIsLentAgainAndNeverToTwoThreadsAtOnce() {
    AtomicInteger made = new AtomicInteger();
    InstancePool<int[]> pool = new InstancePool<>(2, () -> new int[] {made.incrementAndGet()});
    int[] first = pool.take();
    int[] second = pool.take();
    assertNotSame(first, second, "both lent at once: two instances");
    pool.giveBack(first);
    assertSame(first, pool.take(), "the one given back is lent again");
    assertEquals(2, made.get());
  }

  @Test
  void instancesBeyondWhatIsKeptAreDropped() {
    InstancePool<Object> pool = new InstancePool<>(2, Object::new);
    List<Object> lent = List.of(pool.take(), pool.take(), pool.take(), pool.take());
    lent.forEach(pool::giveBack);
    assertEquals(2, pool.kept());
  }

  /** 64 threads (an auto run's downloads) using the pool at once keep at most what it keeps. */
  @Test
  void manyThreadsAtOnceLeaveNoMoreThanTheKeptInstancesAndNeverShareOne() throws Exception {
    InstancePool<Object> pool = new InstancePool<>(4, Object::new);
    Set<Object> inUse = ConcurrentHashMap.newKeySet();
    AtomicInteger shared = new AtomicInteger();
    AllAtOnce.run(
        64,
        thread -> {
          for (int i = 0; i < 1_000; i++) {
            Object instance = pool.take();
            if (!inUse.add(instance)) {
              shared.incrementAndGet();
            }
            inUse.remove(instance);
            pool.giveBack(instance);
          }
        });
    assertEquals(0, shared.get(), "an instance lent to two threads at once");
    assertTrue(pool.kept() <= 4, "kept " + pool.kept());
  }
}
