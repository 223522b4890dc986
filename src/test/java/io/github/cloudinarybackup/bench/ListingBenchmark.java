package io.github.cloudinarybackup.bench;

import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.cloudinary.ListingPage;
import io.github.cloudinarybackup.config.CloudinaryCredentials;
import java.util.List;

/**
 * Pure listing time: every page of every resource type, with the SDK calls and page size the backup
 * uses, and nothing else. The yardstick for a no-op incremental run.
 *
 * <pre>
 * CLOUDINARY_URL=… java -cp target/cloudinary-backup.jar:target/test-classes io.github.cloudinarybackup.bench.ListingBenchmark
 * </pre>
 */
public final class ListingBenchmark {

  private ListingBenchmark() {}

  public static void main(String[] args) throws Exception {
    CloudinaryAdmin admin =
        new CloudinaryAdmin(CloudinaryCredentials.fromUrl(System.getenv("CLOUDINARY_URL")));
    admin.checkCredentialsAndFolderMode(); // warm the connection, as the backup's first call does
    long start = System.nanoTime();
    long assets = 0;
    for (String type : List.of("image", "video", "raw")) {
      String cursor = null;
      do {
        ListingPage page = admin.listResources(type, null, null, cursor, 500);
        assets += page.resources().size();
        cursor = page.nextCursor();
      } while (cursor != null);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "listing: %,d assets in %.2f s (%d Admin calls)%n", assets, seconds, admin.calls() - 1);
  }
}
