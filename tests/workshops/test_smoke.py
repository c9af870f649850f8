import pytest


@pytest.mark.django_db
def test_smoke(client, workshop, registration_data, mailoutbox, django_capture_on_commit_callbacks):
    for lang in ("fr", "ar"):
        r = client.get(f"/{lang}/" + workshop.get_url().split("/", 2)[2])
        assert r.status_code == 200, r.content[:3000]
    r = client.get(workshop.get_parent().get_url())
    assert r.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/ar/workshops/{workshop.pk}/register/", registration_data)
    assert r.status_code == 302, r.content.decode()[:3000]
    r = client.get(r["Location"])
    print(r.content.decode()[-3000:])
    assert r.status_code == 200
    print(mailoutbox[0].subject, mailoutbox[0].body, mailoutbox[0].attachments[0][1][:2000])
