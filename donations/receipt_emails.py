"""The tax receipts' emails: PLACEHOLDER, written by the receipts' donor-side work."""


def send_receipt(receipt_id):
    raise NotImplementedError


def send_cancellation(receipt_id):
    raise NotImplementedError
