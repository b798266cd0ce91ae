package org.magmap.fits;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.fits.HeaderCardException;
import nom.tam.util.Cursor;

/**
 * An ordered list of header cards to write (keyword = value / comment, HISTORY, COMMENT), checked when added so
 * that a bad keyword fails where it was made rather than half-way through writing a file. Also the static
 * helpers that read values back exactly ({@link #doubleValue}).
 *
 * <p>Doubles are written with the shortest decimal that parses back to the same {@code double}, so a value
 * survives a write/read round trip bit for bit (nom-tam's default formatting rounds, e.g. 0.1 + 0.2 to 0.3).
 * Strings longer than one card use the OGIP long-string (CONTINUE) convention, which nom-tam writes and reads;
 * {@code LONGSTRN} is added when that happens. FITS headers hold printable ASCII only, so strings with other
 * characters are rejected here (encode them first; HISTORY text is sanitized instead, being for humans).
 */
public final class FitsCards {
    /** Keywords that describe the data layout; the writer sets them, callers must not. */
    private static final Set<String> STRUCTURAL =
            Set.of("SIMPLE", "XTENSION", "BITPIX", "NAXIS", "EXTEND", "PCOUNT", "GCOUNT", "END", "EXTNAME");

    /** Text per HISTORY/COMMENT card: 80 columns less the 8-column keyword and nom-tam's leading blank. */
    static final int COMMENTARY_TEXT_CHARS = 70;

    /** Longest string that fits in one card without CONTINUE: 80 - "KEYWORD= '" (10) - "'" (1), rounded down. */
    private static final int SHORT_STRING_CHARS = 68;

    private final List<HeaderCard> cards = new ArrayList<>();
    private boolean hasLongString;

    /** An empty list. */
    public FitsCards() {}

    /** A string value (printable ASCII; any length, long ones continue over several cards). */
    public FitsCards add(String key, String value, String comment) {
        String k = checkKey(key);
        if (value == null) {
            throw new IllegalArgumentException("header keyword " + k + " has a null value");
        }
        checkAscii(k, value);
        hasLongString |= value.length() > SHORT_STRING_CHARS;
        return put(k, () -> new HeaderCard(k, value, comment));
    }

    /**
     * A floating-point value, written so that it reads back as the same {@code double} (including -0.0).
     *
     * @throws IllegalArgumentException for NaN or infinity, which a FITS card cannot hold (omit the card)
     */
    public FitsCards add(String key, double value, String comment) {
        String k = checkKey(key);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("header keyword " + k + " cannot hold " + value
                    + " (FITS cards have no NaN or infinity; leave the keyword out instead)");
        }
        // BigDecimal of Double.toString is the shortest exact round-trip decimal, but BigDecimal has no -0.
        if (value == 0.0 && 1.0 / value < 0) {
            return put(k, () -> new HeaderCard(k, Double.valueOf(-0.0), comment));
        }
        BigDecimal exact = new BigDecimal(Double.toString(value));
        return put(k, () -> new HeaderCard(k, exact, comment));
    }

    /** An integer value. */
    public FitsCards add(String key, long value, String comment) {
        String k = checkKey(key);
        return put(k, () -> new HeaderCard(k, Long.valueOf(value), comment));
    }

    /** A logical value (T/F). */
    public FitsCards add(String key, boolean value, String comment) {
        String k = checkKey(key);
        return put(k, () -> new HeaderCard(k, Boolean.valueOf(value), comment));
    }

    /** HISTORY cards holding {@code text}, split over as many cards as it needs. */
    public FitsCards history(String text) {
        return commentary("HISTORY", text);
    }

    /** COMMENT cards holding {@code text}, split over as many cards as it needs. */
    public FitsCards comment(String text) {
        return commentary("COMMENT", text);
    }

    /** Number of cards added (a split HISTORY text counts once per physical card). */
    public int size() {
        return cards.size();
    }

    /** An independent copy, to add cards to without changing this list. */
    public FitsCards copy() {
        FitsCards c = new FitsCards();
        for (HeaderCard card : cards) {
            c.cards.add(card.copy());
        }
        c.hasLongString = hasLongString;
        return c;
    }

    /** Whether a keyword has been added. */
    public boolean contains(String key) {
        String k = key.toUpperCase(Locale.ROOT);
        return cards.stream().anyMatch(c -> k.equals(c.getKey()));
    }

    /** The cards as a nom-tam header of their own, for readers of headers (a WCS of a grid made in code). */
    public Header toHeader() {
        Header h = new Header();
        appendTo(h);
        return h;
    }

    /** Appends the cards to a nom-tam header (package-private: only the writer needs it). */
    void appendTo(Header header) {
        if (hasLongString && !header.containsKey("LONGSTRN") && !contains("LONGSTRN")) {
            header.addLine(card(() -> new HeaderCard("LONGSTRN", "OGIP 1.0", "long strings continue over cards")));
        }
        for (HeaderCard c : cards) {
            if (c.isCommentStyleCard()) {
                header.addLine(c.copy());
            } else {
                // addValue-style replace: a key given twice keeps its last value
                header.deleteKey(c.getKey());
                header.addLine(c.copy());
            }
        }
    }

    /**
     * A numeric header value parsed from the card's own text, so a value written by {@link #add(String, double,
     * String)} comes back bit for bit (nom-tam's getter goes through BigDecimal and loses -0.0). Accepts the
     * Fortran exponent letter D used by older writers.
     *
     * @return {@code fallback} if the keyword is absent or not a number
     */
    public static double doubleValue(Header header, String key, double fallback) {
        HeaderCard c = header.findCard(key);
        if (c == null || c.getValue() == null || c.isStringValue()) {
            return fallback;
        }
        String text = c.getValue().trim().replace('D', 'E').replace('d', 'e');
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A string header value without the trailing blanks FITS pads with, or null if absent. */
    public static String stringValue(Header header, String key) {
        HeaderCard c = header.findCard(key);
        if (c == null || c.getValue() == null) {
            return null;
        }
        return c.getValue().stripTrailing();
    }

    /** The text of every HISTORY card, in order. */
    public static List<String> history(Header header) {
        List<String> lines = new ArrayList<>();
        Cursor<String, HeaderCard> it = header.iterator();
        while (it.hasNext()) {
            HeaderCard c = it.next();
            if ("HISTORY".equals(c.getKey())) {
                lines.add(c.getComment() == null ? "" : c.getComment().strip());
            }
        }
        return Collections.unmodifiableList(lines);
    }

    private FitsCards commentary(String keyword, String text) {
        String rest = HeaderCard.sanitize(text == null ? "" : text);
        do {
            int cut = Math.min(rest.length(), COMMENTARY_TEXT_CHARS);
            if (cut < rest.length()) {
                // wrap at a blank when there is one in the second half of the card, else cut the word
                int blank = rest.lastIndexOf(' ', cut);
                if (blank > COMMENTARY_TEXT_CHARS / 2) {
                    cut = blank + 1;
                }
            }
            String piece = rest.substring(0, cut);
            rest = rest.substring(cut);
            cards.add(card(() -> HeaderCard.createCommentStyleCard(keyword, piece)));
        } while (!rest.isEmpty());
        return this;
    }

    private FitsCards put(String key, CardMaker maker) {
        HeaderCard c = card(maker);
        cards.removeIf(old -> key.equals(old.getKey()));
        cards.add(c);
        return this;
    }

    private static HeaderCard card(CardMaker maker) {
        try {
            return maker.make();
        } catch (HeaderCardException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > HeaderCard.MAX_KEYWORD_LENGTH) {
            throw new IllegalArgumentException("FITS keyword '" + key + "' must have 1 to 8 characters");
        }
        String k = key.toUpperCase(Locale.ROOT);
        if (!k.matches("[A-Z0-9_-]+")) {
            throw new IllegalArgumentException(
                    "FITS keyword '" + key + "' may only contain letters, digits, '_' and '-'");
        }
        if (STRUCTURAL.contains(k) || k.matches("NAXIS\\d+") || k.equals("HISTORY") || k.equals("COMMENT")) {
            throw new IllegalArgumentException("FITS keyword " + k
                    + " is set by the writer (structure, EXTNAME) or has its own method (HISTORY, COMMENT)");
        }
        return k;
    }

    private static void checkAscii(String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 || ch > 0x7E) {
                throw new IllegalArgumentException("value of " + key + " has character U+"
                        + String.format("%04X", (int) ch) + " at " + i
                        + "; FITS headers hold printable ASCII only (encode the value first)");
            }
        }
    }

    @FunctionalInterface
    private interface CardMaker {
        HeaderCard make() throws HeaderCardException;
    }
}
