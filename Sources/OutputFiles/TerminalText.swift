// SPDX-License-Identifier: GPL-3.0-or-later

/// Text made safe for a terminal, an HTML page or an SVG chart: control characters (C0 but
/// line feed and tab, DEL, C1) are shown as `\u{1B}` instead of being passed on, so an input
/// cell can neither retitle the terminal nor clear the screen, and no page carries characters
/// XML forbids.
public enum TerminalText {
    /// Whether `scalar` is a control character that must not reach a terminal or a page.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value)
    }

    /// `text` with every control character but `\n` and `\t` written as `\u{XX}`.
    public static func escaped(_ text: String, keepingLineBreaks: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) }) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isControl(scalar) && !(keepingLineBreaks && (scalar == "\n" || scalar == "\t")) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
