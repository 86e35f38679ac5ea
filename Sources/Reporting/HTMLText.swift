/// HTML escaping shared by every HTML writer (`quipu table --format html`, `quipu report`).
public enum HTMLText {
    /// Text safe in HTML content and in single- or double-quoted attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
