package io.github.cloudinarybackup.verify;

import io.github.cloudinarybackup.catalog.AssetStatus;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.cloudinary.AccountInventory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code verify --remote}: what changed in the account since the backup, from one listing of the
 * account against the catalog: assets new upstream, changed (another version, or other bytes than
 * the backed-up file), and deleted upstream. Nothing is written.
 */
public final class RemoteComparison {

  /** How an asset differs. */
  public enum Change {
    NEW,
    CHANGED,
    DELETED
  }

  /** One difference, with the asset and what differs. */
  public record Difference(Change change, String asset, String detail) {}

  private RemoteComparison() {}

  public static List<Difference> compare(Catalog catalog, AccountInventory account) {
    List<Difference> differences = new ArrayList<>();
    Set<String> catalogued = new HashSet<>();
    catalog.forEach(
        record -> {
          if (record.status() == AssetStatus.DELETED || record.status() == AssetStatus.PENDING) {
            return;
          }
          String where = record.locator();
          catalogued.add(where);
          account
              .at(record.resourceType(), record.type(), record.publicId())
              .ifPresentOrElse(
                  now -> {
                    if (now.version() != 0 && now.version() != record.version()) {
                      differences.add(
                          new Difference(
                              Change.CHANGED,
                              where,
                              "version "
                                  + record.version()
                                  + " in the backup, "
                                  + now.version()
                                  + " in the account"));
                    } else if (record.status() == AssetStatus.OK
                        && now.etag() != null
                        && record.md5() != null
                        && !now.etag().equalsIgnoreCase(record.md5())) {
                      differences.add(
                          new Difference(
                              Change.CHANGED,
                              where,
                              "other bytes: etag "
                                  + now.etag()
                                  + " in the account, MD5 "
                                  + record.md5()
                                  + " in the backup"));
                    }
                  },
                  () ->
                      differences.add(
                          new Difference(
                              Change.DELETED, where, "in the backup, no longer in the account")));
        });
    for (AccountInventory.Entry entry : account.entries()) {
      if (!catalogued.contains(entry.locator())) {
        differences.add(
            new Difference(Change.NEW, entry.locator(), "in the account, not in the backup"));
      }
    }
    differences.sort(Comparator.comparing(Difference::change).thenComparing(Difference::asset));
    return differences;
  }
}
