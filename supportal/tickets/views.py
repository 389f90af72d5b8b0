from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("todo")


ticket_list = ticket_new = queue = ticket_detail = attachment = _todo
