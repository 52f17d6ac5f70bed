package dev.davpush.milton;

import dev.davpush.PropertyName;
import dev.davpush.PushProperties;

/**
 * The value {@link PushPropertySource} gives milton for one of the three push properties, which
 * {@link PushValueWriter} writes as XML.
 *
 * @param name which property: {@code transports}, {@code topic} or {@code supported-triggers}
 * @param properties the resource's push properties for the requesting principal
 *     <p>Thread safety: immutable.
 */
record PushPropertyValue(PropertyName name, PushProperties properties) {}
