package io.github.cloudinarybackup.emulator;

import static io.github.cloudinarybackup.emulator.AdminListingTest.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.api.ApiResponse;
import com.cloudinary.utils.ObjectUtils;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listing switches of {@link EmulatorFaults}, through the real SDK, on the list call and on
 * search.
 */
class HostileListingTest {

  /** Five pages of ten. */
  private static final int IMAGES = 45;

  private static CloudinaryEmulator emulator;
  private static Cloudinary cloudinary;

  @BeforeAll
  static void start() {
    EmulatorAccount account =
        new EmulatorAccount(
            "hostile-cloud", "123456789012345", "not-a-real-secret", FolderMode.FIXED);
    Instant first = Instant.parse("2024-01-01T00:00:00Z");
    for (int i = 0; i < IMAGES; i++) {
      account.add(
          EmulatedAsset.builder()
              .publicId("photos/p" + i)
              .format("png")
              .createdAt(first.plusSeconds(60L * i))
              .generatedContent(i, 64)
              .build());
    }
    emulator = CloudinaryEmulator.start(account);
    cloudinary = new Cloudinary(emulator.cloudinaryUrl());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @AfterEach
  void reset() {
    emulator.faults().clear();
  }

  /** One page: the asset_ids it carries and its next_cursor. */
  private record Page(List<String> ids, String next) {}

  private static Page list(String cursor) throws Exception {
    return page(
        cloudinary
            .api()
            .resources(
                ObjectUtils.asMap(
                    "resource_type",
                    "image",
                    "type",
                    "upload",
                    "max_results",
                    10,
                    "next_cursor",
                    cursor)));
  }

  private static Page search(String cursor) throws Exception {
    var search = cloudinary.search().expression("resource_type:image").maxResults(10);
    if (cursor != null) {
      search.nextCursor(cursor);
    }
    return page(search.execute());
  }

  private static Page page(ApiResponse response) {
    return new Page(
        resources(response).stream().map(i -> (String) i.get("asset_id")).toList(),
        (String) response.get("next_cursor"));
  }

  @Test
  void repeatedCursorServesTheSamePageForEver() throws Exception {
    emulator.faults().repeatListCursor(true);
    for (Function<String, Page> call : calls()) {
      Page first = call.apply(null);
      assertEquals(10, first.ids().size());
      String cursor = first.next();
      assertNotNull(cursor);
      Page second = call.apply(cursor);
      for (int i = 0; i < 8; i++) {
        Page again = call.apply(cursor);
        assertEquals(cursor, again.next(), "the cursor never moves");
        assertEquals(second.ids(), again.ids());
      }
      assertTrue(new HashSet<>(second.ids()).size() == 10 && !second.ids().equals(first.ids()));
    }
  }

  @Test
  void cycledCursorLeadsBackToPageTwoAfterKPages() throws Exception {
    emulator.faults().cycleListCursor(3);
    for (Function<String, Page> call : calls()) {
      List<Page> walk = walk(call, 9);
      assertEquals(9, walk.size(), "the walk never ends although there are only 5 pages");
      assertEquals(walk.get(1).ids(), walk.get(3).ids());
      assertEquals(walk.get(2).ids(), walk.get(4).ids());
      assertEquals(walk.get(1).ids(), walk.get(7).ids());
      assertEquals(walk.get(0).next(), walk.get(2).next(), "page 3 points at page 2");
      assertEquals(30, walk.stream().limit(3).flatMap(p -> p.ids().stream()).distinct().count());
    }
  }

  @Test
  void cycleLongerThanTheListingEndsNormally() throws Exception {
    emulator.faults().cycleListCursor(6);
    for (Function<String, Page> call : calls()) {
      List<Page> walk = walk(call, 100);
      assertEquals(5, walk.size());
      assertEquals(IMAGES, walk.stream().flatMap(p -> p.ids().stream()).distinct().count());
    }
  }

  @Test
  void oversizedPagesIgnoreMaxResults() throws Exception {
    emulator.faults().oversizedListPages(Integer.MAX_VALUE);
    for (Function<String, Page> call : calls()) {
      Page all = call.apply(null);
      assertEquals(IMAGES, all.ids().size());
      assertNull(all.next());
    }
    emulator.faults().oversizedListPages(20);
    for (Function<String, Page> call : calls()) {
      List<Page> walk = walk(call, 100);
      assertEquals(List.of(20, 20, 5), walk.stream().map(p -> p.ids().size()).toList());
      assertEquals(IMAGES, walk.stream().flatMap(p -> p.ids().stream()).distinct().count());
    }
  }

  @Test
  void withTheSwitchesOffPagingIsFaithful() throws Exception {
    emulator.faults().repeatListCursor(true).cycleListCursor(2).oversizedListPages(3).clear();
    assertEquals(0, emulator.faults().cycleListCursor());
    assertEquals(0, emulator.faults().oversizedListPages());
    for (Function<String, Page> call : calls()) {
      List<Page> walk = walk(call, 100);
      assertEquals(5, walk.size());
      List<String> ids = walk.stream().flatMap(p -> p.ids().stream()).toList();
      assertEquals(IMAGES, ids.size());
      assertEquals(IMAGES, Set.copyOf(ids).size());
    }
    assertThrows(IllegalArgumentException.class, () -> emulator.faults().cycleListCursor(1));
    assertThrows(IllegalArgumentException.class, () -> emulator.faults().oversizedListPages(-1));
  }

  @Test
  void theSwitchesApplyToListingsByAssetFolderToo() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(3, 300, FolderMode.DYNAMIC);
    String folder =
        account.assets().stream()
            .filter(EmulatedAsset::hasOriginal)
            .map(EmulatedAsset::assetFolder)
            .filter(f -> !f.isEmpty())
            .filter(
                f -> account.assets().stream().filter(a -> f.equals(a.assetFolder())).count() >= 3)
            .findFirst()
            .orElseThrow();
    long inFolder = account.assets().stream().filter(a -> folder.equals(a.assetFolder())).count();
    try (CloudinaryEmulator dynamic = CloudinaryEmulator.start(account)) {
      Cloudinary client = new Cloudinary(dynamic.cloudinaryUrl());
      Function<String, Page> byFolder =
          unchecked(
              cursor ->
                  page(
                      client
                          .api()
                          .resourcesByAssetFolder(
                              folder, ObjectUtils.asMap("max_results", 1, "next_cursor", cursor))));
      dynamic.faults().repeatListCursor(true);
      String cursor = byFolder.apply(null).next();
      Page second = byFolder.apply(cursor);
      assertEquals(cursor, second.next());
      assertEquals(second, byFolder.apply(cursor));

      dynamic.faults().clear().cycleListCursor(2);
      List<Page> walk = walk(byFolder, 5);
      assertEquals(5, walk.size());
      assertEquals(walk.get(1), walk.get(2));

      dynamic.faults().clear().oversizedListPages(Integer.MAX_VALUE);
      assertEquals(inFolder, byFolder.apply(null).ids().size());
    }
  }

  /** Follows next_cursor from the first page, for at most {@code limit} pages. */
  private static List<Page> walk(Function<String, Page> call, int limit) {
    List<Page> pages = new ArrayList<>();
    String cursor = null;
    do {
      Page page = call.apply(cursor);
      pages.add(page);
      cursor = page.next();
    } while (cursor != null && pages.size() < limit);
    return pages;
  }

  private static List<Function<String, Page>> calls() {
    return List.of(unchecked(HostileListingTest::list), unchecked(HostileListingTest::search));
  }

  private interface Call {
    Page apply(String cursor) throws Exception;
  }

  private static Function<String, Page> unchecked(Call call) {
    return cursor -> {
      try {
        return call.apply(cursor);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
