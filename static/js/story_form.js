/* The leaders' story form: show the photo chosen in the empty slot before it is sent.
   The form works without this script ("Add this photo" sends it and shows the thumbnail).
   The picture is drawn on a canvas from the file itself: no blob: or data: URL, which the
   site's Content-Security-Policy (img-src 'self') would refuse. */
"use strict";

document.addEventListener("change", async (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") {
        return;
    }
    const slot = input.closest(".story-photo--new");
    const canvas = slot && slot.querySelector(".story-photo__preview");
    if (!canvas || typeof createImageBitmap !== "function") {
        return;
    }
    canvas.hidden = true;
    const file = input.files && input.files[0];
    if (!file || !file.type.startsWith("image/")) {
        return;
    }
    let bitmap;
    try {
        bitmap = await createImageBitmap(file);
    } catch {
        return; // a file the browser cannot read: the server says why when it is sent
    }
    // The whole picture, scaled to fit the canvas (like the thumbnail it will become).
    const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
    const width = bitmap.width * scale;
    const height = bitmap.height * scale;
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, (canvas.width - width) / 2, (canvas.height - height) / 2, width, height);
    bitmap.close();
    canvas.hidden = false;
});
