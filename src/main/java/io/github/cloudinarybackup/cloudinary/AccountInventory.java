package io.github.cloudinarybackup.cloudinary;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an account holds, read in one pass through the Search API, 500 assets a call: each asset's
 * asset_id, version and etag (the MD5 of its original) by resource type, delivery type and
 * public_id. A restore reads the target with it (what is there with the same content is not sent
 * again: a restore is idempotent and resumable); {@code verify --remote} compares it with the
 * catalog.
 */
public final class AccountInventory {

  /** One asset as the account has it now. */
  public record Entry(
      String assetId,
      String resourceType,
      String type,
      String publicId,
      long version,
      String etag) {
    public String locator() {
      return resourceType + "/" + type + "/" + publicId;
    }
  }

  private final Map<String, Entry> entries = new HashMap<>();
  private int calls;

  /** Lists the whole account; a refused or failed call is tried again as {@code retry} says. */
  public static AccountInventory read(CloudinaryAdmin admin, CloudinaryRetry retry)
      throws Exception {
    AccountInventory inventory = new AccountInventory();
    String cursor = null;
    do {
      String at = cursor;
      ListingPage page = retry.call("listing the account", () -> admin.search("", at, 500));
      inventory.calls++;
      for (Map<String, Object> fields : page.resources()) {
        CloudinaryResource r = new CloudinaryResource(fields);
        inventory.entries.put(
            key(r.resourceType(), r.type(), r.publicId()),
            new Entry(
                r.assetId(), r.resourceType(), r.type(), r.publicId(), r.version(), r.etag()));
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return inventory;
  }

  /** The asset at this place, if the account has one. */
  public Optional<Entry> at(String resourceType, String type, String publicId) {
    return Optional.ofNullable(entries.get(key(resourceType, type, publicId)));
  }

  /**
   * The etag of the asset at this place ("" when the API gave none), or empty when the account has
   * none there.
   */
  public Optional<String> etag(String resourceType, String type, String publicId) {
    return at(resourceType, type, publicId).map(e -> e.etag() == null ? "" : e.etag());
  }

  public Collection<Entry> entries() {
    return entries.values();
  }

  public int size() {
    return entries.size();
  }

  /** Admin calls the listing took. */
  public int calls() {
    return calls;
  }

  private static String key(String resourceType, String type, String publicId) {
    return resourceType + '\u0000' + type + '\u0000' + publicId;
  }
}
