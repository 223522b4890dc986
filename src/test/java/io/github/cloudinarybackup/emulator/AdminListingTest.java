package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.api.ApiResponse;
import com.cloudinary.api.exceptions.BadRequest;
import com.cloudinary.api.exceptions.NotFound;
import com.cloudinary.utils.ObjectUtils;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Listing, details, config and search through the real Cloudinary Java SDK. */
class AdminListingTest {

  private static final int COUNT = 1234;
  private static CloudinaryEmulator emulator;
  private static Cloudinary cloudinary;

  @BeforeAll
  static void start() {
    emulator = CloudinaryEmulator.start(EmulatorAccount.generate(7, COUNT, FolderMode.FIXED));
    cloudinary = new Cloudinary(emulator.cloudinaryUrl());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void pagingEveryResourceTypeReturnsEveryAssetExactlyOnceInTheFewestCalls() throws Exception {
    Map<String, Long> perType =
        emulator.account().assets().stream()
            .collect(Collectors.groupingBy(EmulatedAsset::resourceType, Collectors.counting()));
    List<String> seen = new ArrayList<>();
    for (String resourceType : List.of("image", "video", "raw")) {
      emulator.clearRequests();
      String cursor = null;
      do {
        ApiResponse page =
            cloudinary
                .api()
                .resources(
                    ObjectUtils.asMap(
                        "resource_type", resourceType, "max_results", 500, "next_cursor", cursor));
        for (Map<?, ?> item : resources(page)) {
          assertEquals(resourceType, item.get("resource_type"));
          seen.add((String) item.get("asset_id"));
        }
        cursor = (String) page.get("next_cursor");
      } while (cursor != null);
      long calls = emulator.requests().stream().filter(r -> r.kind() == Kind.ADMIN).count();
      assertEquals((perType.get(resourceType) + 499) / 500, calls, "calls for " + resourceType);
    }
    assertEquals(COUNT, seen.size());
    assertEquals(idsOf(emulator.account().assets()), new HashSet<>(seen));
  }

  @Test
  void searchPagesTheWholeAccountInCeilNOver500Calls() throws Exception {
    emulator.clearRequests();
    Set<String> seen = new HashSet<>();
    String cursor = null;
    do {
      var search =
          cloudinary.search().expression("").maxResults(500).withField("tags").withField("context");
      if (cursor != null) {
        search.nextCursor(cursor);
      }
      ApiResponse page = search.execute();
      assertEquals((long) COUNT, ((Number) page.get("total_count")).longValue());
      for (Map<?, ?> item : resources(page)) {
        assertTrue(seen.add((String) item.get("asset_id")), "duplicate " + item.get("asset_id"));
        assertEquals("active", item.get("status"));
        assertTrue(((String) item.get("created_at")).endsWith("+00:00"));
        assertNotNull(item.get("tags"));
      }
      cursor = (String) page.get("next_cursor");
    } while (cursor != null);
    assertEquals(COUNT, seen.size());
    assertEquals((COUNT + 499) / 500, emulator.requests().size());
  }

  @Test
  void searchFiltersByExpression() throws Exception {
    EmulatedAsset sample =
        emulator.account().assets().stream()
            .filter(a -> a.resourceType().equals("image") && a.type().equals("private"))
            .filter(a -> a.publicId().contains("/"))
            .findFirst()
            .orElseThrow();
    String folder = sample.publicId().substring(0, sample.publicId().lastIndexOf('/'));
    ApiResponse page =
        cloudinary
            .search()
            .expression("resource_type:image AND type:private AND folder:\"" + folder + "\"")
            .maxResults(500)
            .execute();
    List<Map<?, ?>> items = resources(page);
    assertTrue(items.stream().anyMatch(i -> sample.assetId().equals(i.get("asset_id"))));
    for (Map<?, ?> item : items) {
      assertEquals("private", item.get("type"));
      assertEquals(folder, item.get("folder"));
      assertEquals(
          emulator.account().byAssetId((String) item.get("asset_id")).orElseThrow().md5(),
          item.get("etag"));
    }
    assertThrows(
        BadRequest.class, () -> cloudinary.search().expression("asset_folder:x").execute());
  }

  @Test
  void fixedModeItemsCarryFolderAndDocumentedKeys() throws Exception {
    ApiResponse page =
        cloudinary.api().resources(ObjectUtils.asMap("resource_type", "image", "max_results", 500));
    List<Map<?, ?>> items = resources(page);
    assertEquals(500, items.size());
    Map<?, ?> stored =
        items.stream().filter(i -> "upload".equals(i.get("type"))).findFirst().orElseThrow();
    for (String key :
        List.of(
            "asset_id",
            "public_id",
            "format",
            "version",
            "resource_type",
            "type",
            "created_at",
            "bytes",
            "width",
            "height",
            "folder",
            "url",
            "secure_url")) {
      assertTrue(stored.containsKey(key), "missing " + key);
    }
    assertFalse(stored.containsKey("asset_folder"));
    assertFalse(stored.containsKey("tags"));
    assertTrue(
        ((String) stored.get("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    String publicId = (String) stored.get("public_id");
    String expectedFolder =
        publicId.contains("/") ? publicId.substring(0, publicId.lastIndexOf('/')) : "";
    assertEquals(expectedFolder, stored.get("folder"));
    assertTrue(((String) stored.get("secure_url")).startsWith(emulator.baseUri() + "/"));

    Map<?, ?> remote =
        items.stream()
            .filter(i -> Set.of("facebook", "fetch", "youtube").contains(i.get("type")))
            .findFirst()
            .orElseThrow();
    assertEquals(0, ((Number) remote.get("bytes")).intValue());
    assertFalse(remote.containsKey("version"));
  }

  @Test
  void dynamicModeItemsCarryAssetFolderAndDisplayName() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(3, 300, FolderMode.DYNAMIC);
    try (CloudinaryEmulator dynamic = CloudinaryEmulator.start(account)) {
      Cloudinary client = new Cloudinary(dynamic.cloudinaryUrl());
      ApiResponse config = client.api().configuration(ObjectUtils.asMap("settings", true));
      assertEquals("dynamic", ((Map<?, ?>) config.get("settings")).get("folder_mode"));
      List<Map<?, ?>> items =
          resources(
              client
                  .api()
                  .resources(ObjectUtils.asMap("resource_type", "raw", "max_results", 100)));
      assertFalse(items.isEmpty());
      for (Map<?, ?> item : items) {
        assertTrue(item.containsKey("asset_folder") && item.containsKey("display_name"));
        assertFalse(item.containsKey("folder"));
        assertFalse(item.containsKey("format"), "raw items have no format");
        EmulatedAsset asset = account.byAssetId((String) item.get("asset_id")).orElseThrow();
        assertEquals(asset.assetFolder(), item.get("asset_folder"));
      }
      EmulatedAsset sample =
          account.assets().stream()
              .filter(a -> !a.assetFolder().isEmpty())
              .findFirst()
              .orElseThrow();
      List<Map<?, ?>> inFolder =
          resources(
              client
                  .api()
                  .resourcesByAssetFolder(
                      sample.assetFolder(), ObjectUtils.asMap("max_results", 500)));
      assertTrue(inFolder.stream().anyMatch(i -> sample.assetId().equals(i.get("asset_id"))));
      assertTrue(
          inFolder.stream().allMatch(i -> sample.assetFolder().equals(i.get("asset_folder"))));

      account.folderMode(FolderMode.FIXED);
      assertThrows(
          BadRequest.class,
          () -> client.api().resourcesByAssetFolder(sample.assetFolder(), ObjectUtils.emptyMap()));
    }
  }

  @Test
  void cursorIsAKeysetPositionThatSurvivesChangesBetweenPages() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(11, 60, FolderMode.FIXED);
    try (CloudinaryEmulator small = CloudinaryEmulator.start(account)) {
      Cloudinary client = new Cloudinary(small.cloudinaryUrl());
      ApiResponse first =
          client.api().resources(ObjectUtils.asMap("resource_type", "image", "max_results", 5));
      List<Map<?, ?>> firstItems = resources(first);
      String cursor = (String) first.get("next_cursor");
      assertTrue(cursor.matches("[0-9a-f]+"));

      Set<String> untouched =
          account.assets().stream()
              .filter(a -> a.resourceType().equals("image"))
              .map(EmulatedAsset::assetId)
              .collect(Collectors.toCollection(HashSet::new));
      firstItems.forEach(i -> untouched.remove((String) i.get("asset_id")));
      // Delete one asset not yet returned and add a brand new (newest) one between pages.
      String deleted = untouched.iterator().next();
      account.remove(deleted);
      untouched.remove(deleted);
      account.add(
          EmulatedAsset.builder()
              .publicId("new/arrival")
              .format("png")
              .createdAt(java.time.Instant.parse("2030-01-01T00:00:00Z"))
              .build());

      List<String> rest = new ArrayList<>();
      while (cursor != null) {
        ApiResponse page =
            client
                .api()
                .resources(
                    ObjectUtils.asMap(
                        "resource_type", "image", "max_results", 7, "next_cursor", cursor));
        resources(page).forEach(i -> rest.add((String) i.get("asset_id")));
        cursor = (String) page.get("next_cursor");
      }
      assertEquals(untouched, new HashSet<>(rest));
      assertEquals(rest.size(), new HashSet<>(rest).size());
    }
  }

  @Test
  void prefixListsByPublicIdAscending() throws Exception {
    ApiResponse page =
        cloudinary
            .api()
            .resources(
                ObjectUtils.asMap(
                    "resource_type",
                    "image",
                    "type",
                    "upload",
                    "prefix",
                    "café",
                    "max_results",
                    500));
    List<String> ids = resources(page).stream().map(i -> (String) i.get("public_id")).toList();
    List<String> expected =
        emulator.account().assets().stream()
            .filter(a -> a.resourceType().equals("image") && a.type().equals("upload"))
            .map(EmulatedAsset::publicId)
            .filter(p -> p.startsWith("café"))
            .sorted()
            .toList();
    assertFalse(expected.isEmpty());
    assertEquals(expected, ids);
  }

  @Test
  void directionAndStartAtShapeTheCreatedAtOrder() throws Exception {
    List<EmulatedAsset> videos =
        emulator.account().assets().stream()
            .filter(a -> a.resourceType().equals("video"))
            .sorted(
                java.util.Comparator.comparing(EmulatedAsset::createdAt)
                    .thenComparing(EmulatedAsset::assetId))
            .toList();
    EmulatedAsset middle = videos.get(videos.size() / 2);
    List<String> expected =
        videos.stream()
            .filter(a -> !a.createdAt().isBefore(middle.createdAt()))
            .map(EmulatedAsset::assetId)
            .toList();
    ApiResponse page =
        cloudinary
            .api()
            .resources(
                ObjectUtils.asMap(
                    "resource_type",
                    "video",
                    "direction",
                    "asc",
                    "start_at",
                    middle.createdAt().toString(),
                    "max_results",
                    500));
    assertEquals(expected, resources(page).stream().map(i -> (String) i.get("asset_id")).toList());
    ApiResponse newestFirst =
        cloudinary.api().resources(ObjectUtils.asMap("resource_type", "video", "max_results", 1));
    assertEquals(
        videos.get(videos.size() - 1).assetId(), resources(newestFirst).get(0).get("asset_id"));
  }

  @Test
  void searchSupportsPublicIdPrefixesAndSortByPublicId() throws Exception {
    ApiResponse page =
        cloudinary
            .search()
            .expression("public_id:photo* AND resource_type:raw")
            .sortBy("public_id", "asc")
            .maxResults(500)
            .execute();
    List<String> expected =
        emulator.account().assets().stream()
            .filter(a -> a.resourceType().equals("raw") && a.publicId().startsWith("photo"))
            .map(EmulatedAsset::publicId)
            .sorted()
            .toList();
    assertFalse(expected.isEmpty());
    assertEquals(expected, resources(page).stream().map(i -> (String) i.get("public_id")).toList());
    assertThrows(BadRequest.class, () -> cloudinary.search().expression("cat OR dog").execute());
  }

  @Test
  void optionalBlocksAppearOnlyWhenAsked() throws Exception {
    EmulatedAsset tagged =
        emulator.account().assets().stream()
            .filter(
                a ->
                    a.resourceType().equals("image")
                        && !a.context().isEmpty()
                        && !a.tags().isEmpty())
            .findFirst()
            .orElseThrow();
    ApiResponse page =
        cloudinary
            .api()
            .resources(
                ObjectUtils.asMap(
                    "resource_type",
                    "image",
                    "type",
                    tagged.type(),
                    "prefix",
                    tagged.publicId(),
                    "tags",
                    true,
                    "context",
                    true));
    Map<?, ?> item = resources(page).get(0);
    assertEquals(tagged.tags(), item.get("tags"));
    assertEquals(tagged.context(), ((Map<?, ?>) item.get("context")).get("custom"));

    ApiResponse narrowed =
        cloudinary
            .api()
            .resources(
                ObjectUtils.asMap("resource_type", "image", "max_results", 3, "fields", "bytes"));
    for (Map<?, ?> i : resources(narrowed)) {
      assertEquals(Set.of("asset_id", "public_id", "bytes"), i.keySet());
    }
  }

  @Test
  void detailsCarryEtagAndUnknownPublicIdsAreNotFound() throws Exception {
    EmulatedAsset asset =
        emulator.account().assets().stream()
            .filter(a -> a.type().equals("authenticated") && a.publicId().contains(" "))
            .findFirst()
            .orElseThrow();
    ApiResponse details =
        cloudinary
            .api()
            .resource(
                asset.publicId(),
                ObjectUtils.asMap("resource_type", asset.resourceType(), "type", asset.type()));
    assertEquals(asset.md5(), details.get("etag"));
    assertEquals(asset.assetId(), details.get("asset_id"));

    NotFound notFound =
        assertThrows(
            NotFound.class,
            () ->
                cloudinary
                    .api()
                    .resource("no/such+thing", ObjectUtils.asMap("resource_type", "image")));
    assertEquals("Resource not found - no/such+thing", notFound.getMessage());
  }

  @Test
  void pingConfigAndResourceTypes() throws Exception {
    assertEquals("ok", cloudinary.api().ping(ObjectUtils.emptyMap()).get("status"));
    ApiResponse config = cloudinary.api().configuration(ObjectUtils.emptyMap());
    assertEquals(emulator.account().cloudName(), config.get("cloud_name"));
    assertNull(config.get("settings"));
    assertEquals(
        "fixed",
        ((Map<?, ?>)
                cloudinary.api().configuration(ObjectUtils.asMap("settings", true)).get("settings"))
            .get("folder_mode"));
    assertEquals(
        List.of("image", "raw", "video"),
        cloudinary.api().resourceTypes(ObjectUtils.emptyMap()).get("resource_types"));
  }

  @Test
  void badParametersAreBadRequests() {
    assertThrows(
        BadRequest.class,
        () ->
            cloudinary
                .api()
                .resources(ObjectUtils.asMap("resource_type", "image", "max_results", 501)));
    assertThrows(
        BadRequest.class,
        () ->
            cloudinary
                .api()
                .resources(
                    ObjectUtils.asMap(
                        "resource_type",
                        "image",
                        "next_cursor",
                        "deadbeefdeadbeefdeadbeefdeadbeef")));
    assertThrows(
        BadRequest.class,
        () -> cloudinary.api().resources(ObjectUtils.asMap("resource_type", "document")));
  }

  @Test
  void foldersApiWalksTheTree() throws Exception {
    ApiResponse root = cloudinary.api().rootFolders(ObjectUtils.emptyMap());
    List<Map<?, ?>> folders = castList(root.get("folders"));
    assertFalse(folders.isEmpty());
    String first = (String) folders.get(0).get("path");
    ApiResponse sub = cloudinary.api().subFolders(first, ObjectUtils.emptyMap());
    for (Map<?, ?> folder : castList(sub.get("folders"))) {
      assertTrue(((String) folder.get("path")).startsWith(first + "/"));
    }
    assertThrows(
        NotFound.class,
        () -> cloudinary.api().subFolders("no such folder", ObjectUtils.emptyMap()));
  }

  static List<Map<?, ?>> resources(ApiResponse response) {
    return castList(response.get("resources"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<?, ?>> castList(Object value) {
    return (List<Map<?, ?>>) value;
  }

  private static Set<String> idsOf(java.util.Collection<EmulatedAsset> assets) {
    Map<String, Boolean> ids = new HashMap<>();
    assets.forEach(a -> ids.put(a.assetId(), true));
    return ids.keySet();
  }
}
