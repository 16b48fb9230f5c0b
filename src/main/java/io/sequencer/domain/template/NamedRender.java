package io.sequencer.domain.template;

/**
 * A message rendered for a person looking at it (a step's preview): a failure's reason starts with the string that
 * failed, quoted as written (its first 80 characters), so that a message of many strings says which one to mend.
 */
public final class NamedRender {
    private static final int SHOWN = 80;

    private NamedRender() {}

    /**
     * {@link MessageTemplate#renderMessage}, naming the string that failed.
     * @throws TemplateFailure when a render fails or breaks a limit
     */
    public static String renderMessage(String message, TemplateValues values) {
        if (!MessageTemplate.isTemplate(message)) {
            return message;
        }
        return JsonStrings.mapValues(message, text -> {
            try {
                return MessageTemplate.render(text, values, MessageTemplate.RENDER_TIME);
            } catch (TemplateFailure failure) {
                String shown = text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
                throw new TemplateFailure("'" + shown + "': " + failure.getMessage(), failure.line(), failure.column());
            }
        });
    }
}
