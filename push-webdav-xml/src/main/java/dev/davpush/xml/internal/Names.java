package dev.davpush.xml.internal;

import dev.davpush.xml.WebDavPush;
import java.util.List;

/** Namespace lists the lenient readers accept. */
public final class Names {
  /** Current and legacy WebDAV-Push namespaces. */
  public static final List<String> PUSH =
      List.of(WebDavPush.NAMESPACE, WebDavPush.LEGACY_NAMESPACE);

  /** {@code DAV:} only. */
  public static final List<String> DAV = List.of(WebDavPush.DAV_NAMESPACE);

  /** {@code DAV:} or either WebDAV-Push namespace (for elements peers put in the wrong one). */
  public static final List<String> DAV_OR_PUSH =
      List.of(WebDavPush.DAV_NAMESPACE, WebDavPush.NAMESPACE, WebDavPush.LEGACY_NAMESPACE);

  /** Apple CalendarServer namespace. */
  public static final String CS = "http://calendarserver.org/ns/";

  /** CalConnect CC/CD 70025 (draft-gajda-dav-push) namespace. */
  public static final String GAJDA = "urn:ietf:params:xml:ns:dav-push";

  private Names() {}
}
