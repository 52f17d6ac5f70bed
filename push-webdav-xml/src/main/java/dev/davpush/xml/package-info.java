/**
 * WebDAV-Push on the wire (draft-bitfire-webdav-push, namespace {@code
 * https://bitfire.at/webdav-push}): readers and writers for every XML document and property, and
 * the header syntax. The request handler that uses them is in {@code push-server}.
 *
 * <h2>Map</h2>
 *
 * <ul>
 *   <li>Server side: {@link dev.davpush.xml.PushRegisterReader} (read by {@code push-server}'s
 *       {@code dev.davpush.server.PushRequestHandler} for registration {@code POST}); {@link
 *       dev.davpush.xml.PushPropertyWriter} for {@code PROPFIND} answers; {@link
 *       dev.davpush.xml.ErrorWriter}; {@link dev.davpush.xml.PushMessageWriter} (the engine's
 *       {@link dev.davpush.spi.PushMessageEncoder}); {@link dev.davpush.xml.PushDontNotify}.
 *   <li>Client side: {@link dev.davpush.xml.PushRegisterWriter}, {@link
 *       dev.davpush.xml.MultistatusReader} and {@link dev.davpush.xml.DavResponse}, {@link
 *       dev.davpush.xml.ErrorReader}, {@link dev.davpush.xml.PushMessageReader}, {@link
 *       dev.davpush.xml.PushDontNotify#format(java.util.Collection)}.
 *   <li>Both: {@link dev.davpush.xml.HttpDates}, {@link dev.davpush.xml.WebDavPush} names, {@link
 *       dev.davpush.xml.XmlLimits}.
 *   <li>Dialects: {@link dev.davpush.xml.ApplePush} ({@code CS:push-transports}, {@code
 *       CS:pushkey}) and {@link dev.davpush.xml.CalConnect} (CC/CD 70025 discovery and {@code
 *       subscribe}).
 * </ul>
 *
 * <h2>Safety</h2>
 *
 * Every reader parses with one Woodstox factory per {@link dev.davpush.xml.XmlLimits} value,
 * configured once: namespace-aware, DTD support off and any {@code DOCTYPE} rejected, no external
 * entity ever resolved (the resolver refuses), only the five predefined entities, lazy parsing off,
 * Woodstox's limits on depth, text length, attribute count and size, element count, characters and
 * entities set from the limits value, plus a byte limit on the stream itself. The element tree is
 * built iteratively (no recursion on input depth). Every malformed, hostile or over-limit input
 * ends in {@link dev.davpush.xml.PushXmlException} with line and column where the parser knows
 * them; no Woodstox or StAX exception escapes.
 *
 * <h2>Written strictly</h2>
 *
 * Writers emit only the current draft's names and namespace, UTF-8 without XML declaration and
 * without insignificant white space, the schema's element order, base64url without padding,
 * IMF-fixdate in GMT with English names, property names sorted; the output is byte-stable for the
 * same input.
 *
 * <h2>Read leniently — each leniency and the deployed peer that needs it</h2>
 *
 * <ol>
 *   <li>The namespace {@code DAV:Push} for every element (drafts before 2024-11-13; the Nextcloud
 *       app {@code nc_ext_dav_push} of 2024, DAVx⁵ releases of 2024).
 *   <li>{@code push-transports} with {@code transport} wrappers, {@code server-public-key} as the
 *       VAPID key (drafts 2023-12 … 2025-03-05; {@code nc_ext_dav_push} 2024-09).
 *   <li>{@code transports} with any number of transports; unknown transports kept as opaque XML
 *       (digest ambiguity A-3: the schema allows one, the prose and samples list several;
 *       UnifiedPush entries of the 2023 drafts, future gateway transports).
 *   <li>The 2023 registration form: root {@code push-subscribe}, {@code transport}/{@code
 *       web-push}, {@code public-key keyid="p256dh" dh="…"}, {@code authentication-secret} (draft
 *       of 2023-12-23, early prototypes).
 *   <li>{@code client-public-key} and {@code auth} for {@code subscription-public-key} and {@code
 *       auth-secret} (drafts 2024-09-28 … 2025-03-05 and the clients of that time).
 *   <li>A missing {@code trigger}: a content update with depth {@code 1} (DAVx⁵ registers without
 *       {@code trigger}); a missing depth inside a trigger: {@code 1} for content updates, {@code
 *       0} for property updates (the 2025-02-22 draft had an empty {@code content-update}); the
 *       work-in-progress name {@code on} for {@code trigger} (draft of 2025-02-22).
 *   <li>A missing {@code content-encoding}: {@code aes128gcm} (DAVx⁵; drafts before 2025-03-05).
 *       Any other value is kept and refused by the engine with {@code invalid-subscription}.
 *   <li>{@code D:sync-level} for {@code D:depth} and {@code infinite} for {@code infinity} (digest
 *       ambiguity A-11: drafts until 2025-03-10 and 2025-04-28; dav4jvm, the DAVx⁵ library, still
 *       reads and writes {@code sync-level} in its 2026-08 snapshot).
 *   <li>Any child order in {@code push-register} and {@code web-push-subscription} (ambiguity A-5:
 *       the schema is a sequence, the prose imposes none; hand-written clients).
 *   <li>Base64url with padding or in the standard alphabet, surrounding white space ignored
 *       (ambiguity A-19: libraries and hand-written clients that pad or use {@code +/}); lengths
 *       are checked after decoding (65 and 16 bytes).
 *   <li>{@code expires} and {@code Expires} in the obsolete HTTP-date forms (RFC 9110 §5.6.7
 *       requires recipients to accept RFC 850 and asctime), with a numeric zone offset (the 2024
 *       Nextcloud app parsed PHP's {@code D, d M Y H:i:s O}, so clients written against it send
 *       {@code +0000}), or in RFC 3339 (draft-gajda-dav-push); an unparsable or past {@code
 *       expires} is ignored and the server default applies (ambiguity A-20).
 *   <li>Unknown elements anywhere are skipped (must-ignore; the schema's foreign-element comments);
 *       duplicated elements: the first counts.
 *   <li>Surrounding XML white space of text values is stripped (pretty-printing peers, e.g. {@code
 *       push-resource} on its own indented line).
 *   <li>{@code push-message}: any number of {@code topic}, {@code content-update} and {@code
 *       property-update} (ambiguity A-4); the 2024 forms with a bare {@code D:propstat} root or
 *       {@code D:propstat} inside {@code push-message} (drafts 2024-09-30 … 2025-02-23); a message
 *       with only a topic read as a content update ({@code nc_ext_dav_push} 2024 sends {@code
 *       <push-message><topic>…</topic></push-message>}).
 *   <li>A {@code 207 Multi-Status} whose {@code response} holds {@code prop} without {@code
 *       propstat} (ambiguity A-10: the draft's own sample); a {@code propstat} without {@code
 *       status} counts as {@code 200}.
 *   <li>All three spellings of the trigger precondition, {@code no-supported-trigger}, {@code
 *       no-trigger-supported} and {@code trigger-not-supported} (ambiguity A-1: servers following
 *       the prose or the schema, and the drafts of 2025-03-02 … 03-09).
 *   <li>{@code Push-Dont-Notify} over several field lines, with optional white space, with {@code
 *       quoted-pair} escapes; invalid members ignored (R-WDP-41, R-WDP-42).
 *   <li>{@code PushRequestHandler} recognises a registration by its root element, whatever the
 *       {@code Content-Type} as long as it is absent or an XML type ({@code nc_ext_dav_push}
 *       accepted {@code text/xml} as well as {@code application/xml}).
 *   <li>Apple {@code CS:push-transports} with more than one {@code transport} and a {@code
 *       subscription-url} without {@code DAV:href} (ambiguity A-30: the DTD and CalendarServer
 *       disagree; older servers list {@code type="XMPP"} transports).
 *   <li>CalConnect {@code subscribe-URL} beside {@code push-subscribe-URL} and {@code version}
 *       beside {@code push-version} (ambiguity A-29: the draft's definition and example differ).
 * </ol>
 */
@NullMarked
package dev.davpush.xml;

import org.jspecify.annotations.NullMarked;
