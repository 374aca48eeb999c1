"""The grid's cells in templates/policy/workshop.html, built in Python (policy/workshops/
cell_html.py says why)."""
from django import template

from ..workshops import cell_html

register = template.Library()


@register.simple_tag
def grid_cell(cell, csrf_token, workshop, view, view_query):
    return cell_html.cell_html(cell, csrf_token, workshop.round, workshop.status == "open",
                               view, view_query)


@register.filter
def cell_status(cell):
    return cell_html.status_html(cell)
