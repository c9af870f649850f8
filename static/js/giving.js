// The giving pages work without this file; it only saves steps (issue 13).
// - the error summary takes focus where the browser did not honour its autofocus, and its
//   links put the cursor in their field;
// - "Other amount": choosing it puts the cursor in its field, typing there chooses it,
//   and choosing a suggested amount empties it (the server reads a typed amount first);
// - the thank-you page's "Copy the address" button;
// - "I want a tax receipt": the receipt's details (yearly choice, name, address) show only
//   while it is ticked (without this file they always show; the server ignores them unticked).
document.addEventListener("DOMContentLoaded", () => {
    const summary = document.getElementById("giving-errors");
    if (summary) {
        if (document.activeElement !== summary) summary.focus();
        // a link of the summary puts the cursor in its field, not only the page at it
        summary.querySelectorAll("a[href^='#']").forEach((link) => link.addEventListener("click", (event) => {
            const field = document.getElementById(link.getAttribute("href").slice(1));
            if (!field) return;
            event.preventDefault();
            field.focus();
            (field.closest("fieldset, .form-field") || field).scrollIntoView({ block: "center" });
        }));
    }

    const other = document.getElementById("id_custom_amount");
    if (other) {
        const radios = document.querySelectorAll("input[name='amount_choice']");
        radios.forEach((radio) => radio.addEventListener("change", () => {
            if (radio.value === "custom") other.focus();
            else other.value = "";
        }));
        other.addEventListener("input", () => {
            const custom = document.querySelector("input[name='amount_choice'][value='custom']");
            if (custom && other.value.trim()) custom.checked = true;
        });
    }

    const wantsReceipt = document.getElementById("id_wants_receipt");
    const receiptDetails = document.querySelector("[data-receipt-details]");
    if (wantsReceipt && receiptDetails) {
        wantsReceipt.setAttribute("aria-controls", receiptDetails.id);
        const toggle = () => { receiptDetails.hidden = !wantsReceipt.checked; };
        wantsReceipt.addEventListener("change", toggle);
        toggle();
    }

    document.querySelectorAll("button[data-copy]").forEach((button) => {
        const field = document.getElementById(button.dataset.copy);
        const status = button.parentElement.querySelector("[role='status']");
        if (!field || !navigator.clipboard) return;
        button.hidden = false;
        button.addEventListener("click", () => {
            navigator.clipboard.writeText(field.value).then(
                () => { if (status) status.textContent = button.dataset.copied; },
                () => { field.select(); },
            );
        });
    });
});
