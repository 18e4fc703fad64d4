package io.shardproxy.server.exec;

/**
 * What a command tag says about whether its statement wrote. A read's tag says only that the
 * statement was a read in form: SELECT is also the tag of SELECT INTO and CREATE TABLE AS, and a
 * function a SELECT calls may write, which {@link ShardConnection#assignedTransactionId} settles.
 */
final class CommandTags {

    private CommandTags() {
    }

    /** Command tags of statements that never write by themselves. */
    static boolean read(String tag) {
        int space = tag.indexOf(' ');
        String word = space < 0 ? tag : tag.substring(0, space);
        switch (word) {
            case "SELECT":
            case "FETCH":
            case "MOVE":
            case "SHOW":
            case "SET":
            case "RESET":
            case "BEGIN":
            case "START":
            case "SAVEPOINT":
            case "RELEASE":
            case "ROLLBACK":
            case "COMMIT":
            case "PREPARE":
            case "DEALLOCATE":
            case "DECLARE":
            case "CLOSE":
            case "DISCARD":
            case "LISTEN":
            case "UNLISTEN":
                return true;
            default:
                return false;
        }
    }
}
