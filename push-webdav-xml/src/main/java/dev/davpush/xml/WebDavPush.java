package dev.davpush.xml;

import dev.davpush.PropertyName;

/**
 * Names of WebDAV-Push on the wire: the XML namespace, the {@code DAV} compliance class and the
 * three discovery properties (draft-bitfire-webdav-push §1.4, §2, §2.1).
 *
 * <p>Thread safety: constants only.
 */
public final class WebDavPush {
  /** The XML namespace of every element the draft defines: {@value} (R-WDP-3). */
  public static final String NAMESPACE = "https://bitfire.at/webdav-push";

  /** The namespace drafts before 2024-11-13 used, {@value}: read, never written (digest §1.7). */
  public static final String LEGACY_NAMESPACE = "DAV:Push";

  /** The {@code DAV:} namespace of RFC 4918. */
  public static final String DAV_NAMESPACE = "DAV:";

  /**
   * The token a push-capable resource lists in the {@code DAV} header of {@code OPTIONS} responses:
   * {@value} (R-WDP-4).
   */
  public static final String COMPLIANCE_CLASS = "webdav-push";

  /**
   * The media type of WebDAV-Push request and message bodies, with charset (R-WDP-11, R-WDP-59).
   */
  public static final String MEDIA_TYPE = "application/xml; charset=\"utf-8\"";

  /** The {@code transports} property (R-WDP-5, R-WDP-49). */
  public static final PropertyName TRANSPORTS = PropertyName.of(NAMESPACE, "transports");

  /** The {@code topic} property (R-WDP-5, R-WDP-8). */
  public static final PropertyName TOPIC = PropertyName.of(NAMESPACE, "topic");

  /** The {@code supported-triggers} property (R-WDP-5, R-WDP-9). */
  public static final PropertyName SUPPORTED_TRIGGERS =
      PropertyName.of(NAMESPACE, "supported-triggers");

  private WebDavPush() {}
}
