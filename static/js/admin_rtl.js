/*
 * wagtail-localize's translation editor: every segment in its own language and direction.
 *
 * The editor (a React app) draws the source segments and the translation boxes with no
 * language and in italics, so Arabic is typed left-to-right in slanted letters. Its root,
 * .js-translation-editor, carries the source and target locales in data-props; this script
 * puts lang and dir on each segment as the editor draws it (static/css/admin_rtl.css sets
 * right-to-left text upright). Loaded by the insert_editor_js hook (home/wagtail_hooks.py),
 * a file of its own: no inline script.
 */
(function () {
    "use strict";

    // Languages written right to left (base codes of the Wagtail locales' language codes).
    var RIGHT_TO_LEFT = ["ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"];
    // A string segment (li.complete, .incomplete or .errored): its source is li > p, the
    // translation li > div > p when shown and li > div > textarea while it is typed.
    var SEGMENT = ":is(li.complete, li.incomplete, li.errored)";
    var SOURCE = SEGMENT + " > p";
    var TARGET = SEGMENT + " > div > textarea, " + SEGMENT + " > div > p";

    function direction(code) {
        var base = String(code || "").toLowerCase().split("-")[0];
        return RIGHT_TO_LEFT.indexOf(base) >= 0 ? "rtl" : "ltr";
    }

    function label(elements, code) {
        if (!code) {
            return;
        }
        var dir = direction(code);
        elements.forEach(function (element) {
            if (element.getAttribute("lang") !== code) {
                element.setAttribute("lang", code);
            }
            if (element.getAttribute("dir") !== dir) {
                element.setAttribute("dir", dir);
            }
        });
    }

    function start() {
        var editor = document.querySelector(".js-translation-editor[data-props]");
        if (!editor) {
            return;
        }
        var props;
        try {
            props = JSON.parse(editor.getAttribute("data-props"));
        } catch (error) {
            return;
        }
        var source = props.sourceLocale && props.sourceLocale.code;
        var target = props.locale && props.locale.code;
        if (target) {
            editor.setAttribute("data-target-lang", target);
            editor.setAttribute("data-target-dir", direction(target));
        }
        function update() {
            label(editor.querySelectorAll(SOURCE), source);
            label(editor.querySelectorAll(TARGET), target);
        }
        update();
        // The editor draws the segments after this runs and redraws a box on each edit.
        new MutationObserver(update).observe(editor, { childList: true, subtree: true });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
