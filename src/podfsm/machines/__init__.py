"""The machines, as declarative tables (:mod:`podfsm.machines.table`): the container
(:mod:`~podfsm.machines.container`), the pod (:mod:`~podfsm.machines.pod`), the probe worker
(:mod:`~podfsm.machines.probe`) and the node (:mod:`~podfsm.machines.node`), with the records their
guards read (:mod:`~podfsm.machines.records`). Every row is (event, source, target, named guard,
action, cited source); nothing here knows who fires the rows."""
