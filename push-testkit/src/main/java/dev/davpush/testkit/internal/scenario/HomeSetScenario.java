package dev.davpush.testkit.internal.scenario;

import static dev.davpush.testkit.RequirementCatalogue.R_WDP_18;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_46;
import static dev.davpush.testkit.RequirementCatalogue.R_WDP_9;

import dev.davpush.Depth;
import dev.davpush.PropertyName;
import dev.davpush.PushException;
import dev.davpush.SupportedTriggers;
import dev.davpush.testkit.Requirement;
import dev.davpush.testkit.internal.client.HrefProperties;
import dev.davpush.testkit.internal.client.WebDavPushClient;
import dev.davpush.xml.DavResponse;
import dev.davpush.xml.WebDavPush;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * R-WDP-46 (SHOULD, CalDAV/CardDAV servers): from the user's principal ({@code
 * DAV:current-user-principal} of the target, else of the server root) the kit reads {@code
 * calendar-home-set} and {@code addressbook-home-set} and, with one {@code PROPFIND} of depth 1 per
 * home set, the home set and its members. It checks that
 *
 * <ul>
 *   <li>each home set offers {@code content-update} with depth 1 or more;
 *   <li>each calendar and address book in a home set offers {@code content-update} with depth 1 or
 *       more and {@code property-update};
 *   <li>each scheduling inbox and outbox offers {@code content-update} with depth 1 or more;
 *   <li>the principal offers {@code property-update}.
 * </ul>
 *
 * NOT_APPLICABLE when the target is plain WebDAV (no principal or no home set, and neither the
 * {@code DAV} header nor the target's resource type says CalDAV/CardDAV); NOT_TESTED when the
 * target is CalDAV/CardDAV but its principal or home sets cannot be read, and when the target's own
 * {@code supported-triggers} already fail R-WDP-9 or R-WDP-18 (digest check C-WDP-06 judges those
 * together: the home sets would only repeat that failure).
 */
final class HomeSetScenario implements Scenario {
  static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
  static final String CARDDAV = "urn:ietf:params:xml:ns:carddav";
  static final PropertyName CURRENT_USER_PRINCIPAL =
      PropertyName.of(PropertyName.DAV, "current-user-principal");
  static final PropertyName CALENDAR_HOME_SET = PropertyName.of(CALDAV, "calendar-home-set");
  static final PropertyName ADDRESSBOOK_HOME_SET = PropertyName.of(CARDDAV, "addressbook-home-set");
  static final PropertyName RESOURCETYPE = PropertyName.of(PropertyName.DAV, "resourcetype");
  static final PropertyName PRINCIPAL = PropertyName.of(PropertyName.DAV, "principal");
  static final PropertyName SCHEDULE_INBOX = PropertyName.of(CALDAV, "schedule-inbox");
  static final PropertyName SCHEDULE_OUTBOX = PropertyName.of(CALDAV, "schedule-outbox");

  /** Problems named in the evidence at most. */
  private static final int SHOWN = 6;

  @Override
  public String name() {
    return "home-sets";
  }

  @Override
  public Set<Requirement> covers() {
    return Set.of(R_WDP_46);
  }

  @Override
  public List<String> buildsOn() {
    return List.of("discovery");
  }

  @Override
  public void run(RunContext ctx) {
    RunContext.Discovery d = ctx.discovery();
    Recorder rec = ctx.record();
    boolean groupware =
        d.davTokens().contains("calendar-access")
            || d.davTokens().contains("addressbook")
            || d.self().resourceTypes().contains(RunContext.CALENDAR)
            || d.self().resourceTypes().contains(RunContext.ADDRESSBOOK);
    if (rec.failedHere(R_WDP_9) || rec.failedHere(R_WDP_18)) {
      rec.notTested(
          R_WDP_46,
          "the target's own supported-triggers already fail R-WDP-9 or R-WDP-18; the home sets"
              + " would repeat that failure");
      return;
    }
    WebDavPushClient client = ctx.client();
    URI target = ctx.target();
    Optional<URI> principal = principal(client, target);
    if (principal.isEmpty()) {
      principal = principal(client, target.resolve("/"));
    }
    if (principal.isEmpty()) {
      if (groupware) {
        rec.notTested(
            R_WDP_46,
            "CalDAV/CardDAV target, but DAV:current-user-principal could not be read on it or on"
                + " the server root");
      } else {
        rec.notApplicable(
            R_WDP_46,
            "plain WebDAV: no DAV:current-user-principal, and neither the DAV header nor the"
                + " target's resource type says CalDAV/CardDAV");
      }
      return;
    }
    URI p = principal.get();
    WebDavPushClient.Propfind pf;
    try {
      pf =
          client.propfind(
              p,
              "0",
              List.of(
                  RESOURCETYPE,
                  CALENDAR_HOME_SET,
                  ADDRESSBOOK_HOME_SET,
                  WebDavPush.SUPPORTED_TRIGGERS));
    } catch (PushException e) {
      rec.notTested(
          R_WDP_46, "PROPFIND of the principal " + p.getRawPath() + ": " + e.getMessage());
      return;
    }
    if (pf.result().status() != 207 || pf.self().isEmpty()) {
      rec.notTested(R_WDP_46, "the principal cannot be read: " + pf.result().evidence());
      return;
    }
    List<URI> homes = new ArrayList<>();
    for (PropertyName set : List.of(CALENDAR_HOME_SET, ADDRESSBOOK_HOME_SET)) {
      for (String href : HrefProperties.first(pf.result().body(), set)) {
        resolve(p, href).filter(h -> !homes.contains(h)).ifPresent(homes::add);
      }
    }
    if (homes.isEmpty()) {
      if (groupware) {
        rec.notTested(
            R_WDP_46,
            "CalDAV/CardDAV target, but its principal "
                + p.getRawPath()
                + " lists no calendar-home-set or addressbook-home-set");
      } else {
        rec.notApplicable(
            R_WDP_46,
            "plain WebDAV: the principal "
                + p.getRawPath()
                + " lists no calendar-home-set or addressbook-home-set");
      }
      return;
    }
    List<String> problems = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    @Nullable SupportedTriggers own = pf.self().get().supportedTriggers().orElse(null);
    checked.add("principal " + p.getRawPath());
    if (own == null || own.propertyUpdate().isEmpty()) {
      problems.add("principal " + p.getRawPath() + ": no property-update");
    }
    for (URI home : homes) {
      WebDavPushClient.Propfind hp;
      try {
        hp = client.propfind(home, "1", List.of(RESOURCETYPE, WebDavPush.SUPPORTED_TRIGGERS));
      } catch (PushException e) {
        rec.notTested(
            R_WDP_46, "PROPFIND of the home set " + home.getRawPath() + ": " + e.getMessage());
        return;
      }
      if (hp.result().status() != 207 || hp.responses().isEmpty()) {
        rec.notTested(R_WDP_46, "a home set cannot be read: " + hp.result().evidence());
        return;
      }
      for (DavResponse r : hp.responses()) {
        Optional<URI> at = resolve(home, r.href());
        boolean isHome = at.isPresent() && at.get().equals(home) || r == hp.responses().get(0);
        String path = at.map(URI::getRawPath).orElse(r.href());
        Set<PropertyName> types = r.resourceTypes();
        boolean collection =
            types.contains(RunContext.CALENDAR) || types.contains(RunContext.ADDRESSBOOK);
        boolean schedule = types.contains(SCHEDULE_INBOX) || types.contains(SCHEDULE_OUTBOX);
        if (!isHome && !collection && !schedule) {
          continue;
        }
        @Nullable SupportedTriggers t = triggers(r);
        checked.add((isHome ? "home set " : "") + path);
        if (!deepContent(t)) {
          problems.add(
              path
                  + ": content-update "
                  + (t == null || t.contentUpdate().isEmpty()
                      ? "missing"
                      : "depth " + t.contentUpdate().get().token()));
        }
        if (!isHome && collection && (t == null || t.propertyUpdate().isEmpty())) {
          problems.add(path + ": no property-update");
        }
      }
    }
    String seen = checked.size() + " resource(s) from " + p.getRawPath();
    if (problems.isEmpty()) {
      rec.pass(
          R_WDP_46,
          seen
              + ": home sets, calendars and address books offer content-update depth ≥ 1,"
              + " calendars, address books and the principal property-update");
    } else {
      rec.fail(
          R_WDP_46,
          seen
              + "; "
              + String.join("; ", problems.subList(0, Math.min(SHOWN, problems.size())))
              + (problems.size() > SHOWN ? "; and " + (problems.size() - SHOWN) + " more" : ""));
    }
  }

  private static boolean deepContent(@Nullable SupportedTriggers t) {
    return t != null
        && t.contentUpdate().isPresent()
        && (t.contentUpdate().get() == Depth.ONE || t.contentUpdate().get() == Depth.INFINITY);
  }

  private static @Nullable SupportedTriggers triggers(DavResponse r) {
    try {
      return r.supportedTriggers().orElse(null);
    } catch (PushException e) {
      return null;
    }
  }

  private static Optional<URI> principal(WebDavPushClient client, URI resource) {
    try {
      WebDavPushClient.Propfind pf =
          client.propfind(resource, "0", List.of(CURRENT_USER_PRINCIPAL));
      if (pf.result().status() != 207) {
        return Optional.empty();
      }
      List<String> hrefs = HrefProperties.first(pf.result().body(), CURRENT_USER_PRINCIPAL);
      return hrefs.isEmpty() ? Optional.empty() : resolve(resource, hrefs.get(0));
    } catch (PushException e) {
      return Optional.empty();
    }
  }

  private static Optional<URI> resolve(URI base, String href) {
    try {
      return Optional.of(base.resolve(new URI(href.strip())));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
