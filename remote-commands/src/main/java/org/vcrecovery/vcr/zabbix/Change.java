package org.vcrecovery.vcr.zabbix;

import java.util.Objects;

/**
 * What {@code vcr zabbix install} did (or, with {@code --dry-run}, would do) to one Zabbix object.
 *
 * @param kind    {@code template}, {@code script}, {@code action} or {@code macro}
 * @param name    the object's name in Zabbix
 * @param outcome what happened
 * @param detail  what differed (fields, digest, missing objects), or empty
 */
public record Change(String kind, String name, Outcome outcome, String detail) {
    public Change {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(outcome, "outcome == null");
        detail = detail == null ? "" : detail;
    }

    /** The outcome for one object; the words are what the command prints. */
    public enum Outcome {
        CREATED("created"),
        UPDATED("updated"),
        UP_TO_DATE("up to date"),
        WOULD_CREATE("would create"),
        WOULD_UPDATE("would update"),
        DELETED("deleted"),
        WOULD_DELETE("would delete");

        private final String words;

        Outcome(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        static Outcome create(boolean dryRun) {
            return dryRun ? WOULD_CREATE : CREATED;
        }

        static Outcome update(boolean dryRun) {
            return dryRun ? WOULD_UPDATE : UPDATED;
        }

        static Outcome delete(boolean dryRun) {
            return dryRun ? WOULD_DELETE : DELETED;
        }
    }

    /** One line: {@code template vcrecovery KVM host: created}, with the detail in parentheses. */
    public String line() {
        return kind + " " + name + ": " + outcome.words() + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
