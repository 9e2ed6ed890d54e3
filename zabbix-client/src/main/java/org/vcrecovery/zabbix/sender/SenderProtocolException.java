package org.vcrecovery.zabbix.sender;

import java.io.IOException;

/**
 * The server answered, but not with a sender reply this client understands: not a {@code ZBXD}
 * frame, a frame over the size limit, not JSON, or JSON without {@code response}/{@code info}.
 * The message names what was seen (first bytes in hex, or the start of the text).
 *
 * <p>Unlike a plain {@link IOException} (refused, timed out, connection lost: worth retrying or
 * spooling), this usually means the address is not a Zabbix trapper, so retrying the same
 * server will not help. The batch may or may not have been stored.
 */
public class SenderProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public SenderProtocolException(String message) {
        super(message);
    }

    public SenderProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
