package io.github.cloudinarybackup.restore;

import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.cloudinary.ListingPage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the target account holds, read once before uploading: every asset's etag (the MD5 of its original) by
 * resource type, delivery type and public_id, through the Search API, 500 a call. It is what makes a restore
 * idempotent and resumable: whatever is already there with the same content is not sent again.
 */
final class TargetInventory {

  private final Map<String, String> etags = new HashMap<>();
  private int calls;

  /** Lists the whole account; a refused or failed call is retried by {@code retry}. */
  static TargetInventory read(CloudinaryAdmin admin, Retry retry) throws Exception {
    TargetInventory inventory = new TargetInventory();
    String cursor = null;
    do {
      String at = cursor;
      ListingPage page = retry.call("listing the target account", () -> admin.search("", at, 500));
      inventory.calls++;
      for (Map<String, Object> fields : page.resources()) {
        CloudinaryResource r = new CloudinaryResource(fields);
        inventory.etags.put(key(r.resourceType(), r.type(), r.publicId()), r.etag() == null ? "" : r.etag());
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return inventory;
  }

  /** The etag of the asset at this place, or empty when the account has none there. */
  Optional<String> etag(String resourceType, String type, String publicId) {
    return Optional.ofNullable(etags.get(key(resourceType, type, publicId)));
  }

  int size() {
    return etags.size();
  }

  int calls() {
    return calls;
  }

  private static String key(String resourceType, String type, String publicId) {
    return resourceType + '\u0000' + type + '\u0000' + publicId;
  }
}
