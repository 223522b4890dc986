package io.github.cloudinarybackup.bench;

import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import java.nio.file.Path;

/**
 * Opens a catalog and reads every record, the way a run would: prints {@code readable N} (exit 0)
 * or {@code damaged: why} (exit 1). bench/kill.sh runs it on catalogs left by a killed writer.
 *
 * <pre>
 * java -cp target/cloudinary-backup.jar:target/test-classes io.github.cloudinarybackup.bench.CatalogCheck catalog.db
 * </pre>
 */
public final class CatalogCheck {

  private CatalogCheck() {}

  public static void main(String[] args) throws Exception {
    try (Catalog catalog = Catalog.open(Path.of(args[0]))) {
      long[] records = {0};
      catalog.forEach(r -> records[0]++);
      System.out.println("readable " + records[0]);
      catalog.closeWithoutCommit();
    } catch (CatalogUnusableException e) {
      System.out.println("damaged: " + e.getMessage());
      System.exit(1);
    }
  }
}
