package io.github.cloudinarybackup.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class PathAllocatorTest {

  private final ConcurrentHashMap<String, String> claims = new ConcurrentHashMap<>();
  private final PathAllocator allocator = new PathAllocator(claims);

  @Test
  void firstComerKeepsTheNameOthersGetTheirAssetId() {
    assertEquals("a/logo.png", allocator.allocate("id1", List.of("a", "logo.png"), null, null));
    assertEquals("a/Logo~id2.png", allocator.allocate("id2", List.of("a", "Logo.png"), null, null));
    assertEquals("a/LOGO~id3.png", allocator.allocate("id3", List.of("a", "LOGO.png"), null, null));
  }

  @Test
  void folderCaseDifferencesShareTheFolderClaimButNotFiles() {
    assertEquals("Docs/x.txt", allocator.allocate("id1", List.of("Docs", "x.txt"), null, null));
    assertEquals("docs/x~id2.txt", allocator.allocate("id2", List.of("docs", "x.txt"), null, null));
  }

  @Test
  void aFileAndAFolderOfTheSameNameDoNotCollide() {
    assertEquals(
        "docs/readme.txt", allocator.allocate("id1", List.of("docs", "readme.txt"), null, null));
    String file = allocator.allocate("id2", List.of("docs"), null, null);
    assertNotEquals("docs", file);
    assertEquals("report", allocator.allocate("id3", List.of("report"), null, null));
    assertEquals(
        "report~dir/a.png", allocator.allocate("id4", List.of("report", "a.png"), null, null));
  }

  @Test
  void anAssetKeepsItsPathAcrossRuns() {
    String first = allocator.allocate("id1", List.of("x.jpg"), null, null);
    String second = allocator.allocate("id2", List.of("x.jpg"), null, null);
    assertEquals(second, allocator.allocate("id2", List.of("x.jpg"), second, "x.jpg"));
    assertEquals(first, allocator.allocate("id1", List.of("x.jpg"), first, "x.jpg"));
  }

  @Test
  void aMovedAssetReleasesItsOldPath() {
    allocator.allocate("id1", List.of("old", "x.jpg"), null, null);
    assertEquals(
        "new/x.jpg", allocator.allocate("id1", List.of("new", "x.jpg"), "old/x.jpg", "old/x.jpg"));
    assertEquals("old/x.jpg", allocator.allocate("id2", List.of("old", "x.jpg"), null, null));
  }

  @Test
  void foldingTreatsSharpSLikeCaseInsensitiveFilesystems() {
    assertEquals(PathAllocator.fold("STRASSE"), PathAllocator.fold("straße"));
  }

  @Test
  void pathsAdoptedFromDiskStayWithTheirAssetWhateverOrderTheAssetsComeIn() {
    // a rebuilt catalog: the second asset had the plain name, the first the suffixed one
    allocator.adopt("id2", "shared/logo.png");
    allocator.adopt("id1", "shared/logo~id1.png");
    assertEquals(
        "shared/logo~id1.png",
        allocator.allocate("id1", List.of("shared", "logo.png"), "shared/logo~id1.png", null));
    assertEquals(
        "shared/logo.png",
        allocator.allocate("id2", List.of("shared", "logo.png"), "shared/logo.png", null));
    assertEquals(
        "shared/logo~id3.png",
        allocator.allocate("id3", List.of("shared", "logo.png"), null, null));
    assertEquals(false, allocator.adopt("id9", "shared/logo.png"), "held by another asset");
  }
}
