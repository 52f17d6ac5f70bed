/** The command line of the kit: {@code java -jar push-testkit-<version>-cli.jar}. Internal. */
@NullMarked
package dev.davpush.testkit.cli;

import org.jspecify.annotations.NullMarked;
