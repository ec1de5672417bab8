"""The arguments many fields share, with their descriptions (one wording everywhere).

``first: First = 50`` is ``first: int | None = 50`` with a description for the schema.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.graphql.enums import ArtifactSort
from cairn.graphql.inputs import ArtifactFilter, JobRunFilter, WorkflowFilter, WorkflowRunFilter

First = Annotated[
    int | None,
    strawberry.argument(
        description=(
            "How many items to return: 0 to 500 (anything else is BAD_USER_INPUT); 50 when "
            "omitted or null. Not together with `last`. It counts toward the query's cost, "
            "multiplied by the `first`/`last` of the connections it is nested in: a query over "
            "CAIRN_MAX_QUERY_COST (50,000 nodes by default) is QUERY_TOO_COMPLEX."
        )
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "Return the items after this cursor: an endCursor (or an edge's cursor) this "
            "field returned with the same sort. Any other value is BAD_USER_INPUT."
        )
    ),
]
Sort = Annotated[
    ArtifactSort | None,
    strawberry.argument(description="The order; CREATED_DESC (newest first) when omitted or null."),
]
Artifacts = Annotated[
    ArtifactFilter | None,
    strawberry.argument(
        description="Which artifacts to list; without `status` in it, only AVAILABLE ones."
    ),
]
WorkflowRuns = Annotated[
    WorkflowRunFilter | None,
    strawberry.argument(description="Which workflow runs to list; all when omitted."),
]
Workflows = Annotated[
    WorkflowFilter | None,
    strawberry.argument(description="Which workflows to list; all when omitted."),
]
JobRuns = Annotated[
    JobRunFilter | None,
    strawberry.argument(description="Which job runs to list; all when omitted."),
]
